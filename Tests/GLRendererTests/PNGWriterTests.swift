import Foundation
import Testing
@testable import GLRenderer

@Suite struct PNGWriterTests {
    @Test func writesAValidPNGWithTheRightSize() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("strata-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pixels = [UInt8](repeating: 200, count: 7 * 3 * 4)
        try PNGWriter.write(rgba: pixels, width: 7, height: 3, bottomUp: true, to: path)
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        #expect(Array(data[16..<24]) == [0, 0, 0, 7, 0, 0, 0, 3])
    }

    @Test func unwritablePathIsAOneLineErrorNamingTheFile() {
        let path = "/nonexistent-folder-\(UUID().uuidString)/x.png"
        let pixels = [UInt8](repeating: 0, count: 4)
        #expect {
            try PNGWriter.write(rgba: pixels, width: 1, height: 1, bottomUp: false, to: path)
        } throws: { error in
            "\(error)".hasPrefix(path + ": cannot write PNG")
        }
    }
}

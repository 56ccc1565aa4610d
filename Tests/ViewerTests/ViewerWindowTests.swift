import Foundation
import Testing

/// End to end in a real window: starts `strata` (the bundled digits model), drives it with xdotool and reads
/// the frame log the viewer writes (`STRATA_FRAME_LOG`). Needs an X display (`make test` runs under xvfb-run).
@Suite(.serialized) struct ViewerWindowTests {
    struct Frame: Decodable {
        struct Block: Decodable { var layer: String; var x: Double; var y: Double }
        var frame: Int
        var yaw: Double
        var pitch: Double
        var expanded: [String]
        var feature_map_items: Int
        var model: String
        var hover: String
        var blocks: [Block]
    }

    static func binary() throws -> String {
        if let bin = ProcessInfo.processInfo.environment["STRATA_BIN"], !bin.isEmpty { return bin }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["release", "debug"] {
            let path = root.appendingPathComponent(".build/\(config)/strata").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestFailure("set STRATA_BIN to the built strata binary (make test does)")
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @discardableResult
    static func xdotool(_ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/xdotool")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    static func frames(_ log: String) -> [Frame] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Frame.self, from: Data($0.utf8)) }
    }

    /// Polls the frame log until `condition` holds for the newest frame (or `seconds` pass).
    static func waitFor(_ log: String, seconds: Double = 30, _ condition: (Frame) -> Bool) -> Frame? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let last = frames(log).last, condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    @Test func dragOrbitsAndClickOpensALayer() throws {
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil else {
            throw TestFailure("no DISPLAY: run under xvfb-run (make test does)")
        }
        let log = NSTemporaryDirectory() + "strata-frames-\(getpid()).log"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.environment = ProcessInfo.processInfo.environment.merging(["STRATA_FRAME_LOG": log]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        let loaded = try #require(Self.waitFor(log) { $0.model == "digits_cnn.onnx" && !$0.blocks.isEmpty })
        #expect(loaded.expanded.count == 1, "the default start opens the first convolution")
        let window = try Self.xdotool("search", "--name", "digits_cnn.onnx").split(separator: "\n").first.map(String.init)
        let wid = try #require(window)

        // Click a closed block: hover candidates until the viewer reports the pointer over one of them.
        var clicked: String?
        for block in loaded.blocks where !loaded.expanded.contains(block.layer) && !block.layer.hasPrefix("image") {
            try Self.xdotool("mousemove", "--window", wid, "\(Int(block.x.rounded()))", "\(Int(block.y.rounded()))")
            guard Self.waitFor(log, seconds: 3, { $0.hover == block.layer }) != nil else { continue }
            try Self.xdotool("click", "1")
            clicked = block.layer
            break
        }
        let layer = try #require(clicked, "no closed block could be hovered")
        let opened = Self.waitFor(log) { $0.expanded.contains(layer) && $0.feature_map_items > loaded.feature_map_items }
        #expect(opened != nil, "a click on block '\(layer)' opens its feature maps")

        let before = try #require(Self.frames(log).last)
        try Self.xdotool("mousemove", "--window", wid, "300", "150", "mousedown", "1")
        for x in stride(from: 320, through: 460, by: 20) { try Self.xdotool("mousemove", "--window", wid, "\(x)", "160") }
        try Self.xdotool("mouseup", "1")
        let turned = Self.waitFor(log) { abs($0.yaw - before.yaw) > 0.3 }
        #expect(turned != nil, "a left-drag orbits the camera")
    }
}

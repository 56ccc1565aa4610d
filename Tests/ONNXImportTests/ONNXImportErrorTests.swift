import Foundation
import ONNXImport
import StrataCore
import Testing

/// Bad files: each is one line naming the file and the fault.
@Suite struct ONNXImportErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var message: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "truncated.onnx", message: "not a valid ONNX model (protobuf: truncated)"),
        Case(file: "not_onnx.onnx", message: "not a valid ONNX model (protobuf: malformed)"),
        Case(file: "cycle.onnx", message: "the graph has a cycle through node 'first'"),
        Case(file: "undefined_input.onnx",
             message: "node 'reads_ghost' reads 'ghost', which no node, input or initializer defines"),
        Case(file: "no_nodes.onnx", message: "the ONNX graph has no nodes"),
        Case(file: "lying_dims.onnx",
             message: "tensor 'w' has dims [1000000, 1000000] (1000000000000 elements) but 16 bytes of data"),
        Case(file: "ext_offset.onnx",
             message: "tensor 'w': external data 'ext_good.bin' has 64 bytes, too few for offset 4096 + 48 bytes"),
        Case(file: "ext_short.onnx",
             message: "tensor 'w': external data 'ext_good.bin' has 64 bytes, too few for offset 32 + 48 bytes"),
    ]

    @Test(arguments: cases) func invalidFile(_ c: Case) throws {
        let error = try #require(ONNXFixtures.failure(c.file))
        #expect(error == .invalid(file: ONNXFixtures.url(c.file).path, problem: c.message))
        #expect(!error.description.contains("\n"))
        #expect(error.description.hasPrefix(ONNXFixtures.url(c.file).path + ": "))
    }

    @Test(arguments: [("ext_absolute.onnx", "/etc/passwd"), ("ext_escape.onnx", "../../etc/passwd")])
    func externalDataOutsideTheFolder(_ file: String, _ location: String) throws {
        let error = try #require(ONNXFixtures.failure(file))
        #expect(error == .pathOutsideModelFolder(file: ONNXFixtures.url(file).path, path: location))
    }

    @Test func symbolicLinkOutOfTheFolderIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.onnx")
        try FileManager.default.copyItem(at: ONNXFixtures.url("ext_good.onnx"), to: model)
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("ext_good.bin"),
                                                   withDestinationURL: ONNXFixtures.url("ext_good.bin"))
        #expect(throws: ImportError.pathOutsideModelFolder(file: model.path, path: "ext_good.bin")) {
            try ONNXImporter.load(contentsOf: model)
        }
    }

    @Test func emptyFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-empty-\(UUID().uuidString).onnx")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: ImportError.invalid(file: url.path, problem: "not a valid ONNX model (empty file)")) {
            try ONNXImporter.load(contentsOf: url)
        }
    }

    @Test func missingFile() {
        let url = ONNXFixtures.url("does_not_exist.onnx")
        #expect(throws: ImportError.unreadable(file: url.path, reason: "no such file")) {
            try ONNXImporter.load(contentsOf: url)
        }
    }

    /// Every prefix of a valid model either loads or fails with an ImportError; none crashes.
    @Test func everyPrefixOfAModelIsHandled() throws {
        let bytes = try Data(contentsOf: ONNXFixtures.url("tiny_conv.onnx"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-prefix-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: url) }
        var failures = 0
        for length in stride(from: 0, to: bytes.count, by: 7) {
            try bytes.prefix(length).write(to: url)
            do { _ = try ONNXImporter.load(contentsOf: url) } catch { failures += 1 }
        }
        #expect(failures > bytes.count / 7 / 2)
    }
}

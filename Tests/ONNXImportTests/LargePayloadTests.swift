import Foundation
import ONNXImport
import StrataCore
import Testing

/// Initializers of 1 MiB or more are read from the file straight into their tensors.
@Suite struct LargePayloadTests {
    /// A MatMul model whose weight `w` (float32, `rows`×256) is `raw_data`, plus a small typed bias.
    static func model(rows: Int, declaredRows: Int? = nil) -> Data {
        var w = Onnx_TensorProto()
        w.name = "w"
        w.dataType = 1
        w.dims = [Int64(declaredRows ?? rows), 256]
        w.rawData = Data((0..<(rows * 256)).flatMap { withUnsafeBytes(of: Float($0 % 1000)) { Array($0) } })
        var b = Onnx_TensorProto()
        b.name = "b"
        b.dataType = 1
        b.dims = [256]
        b.floatData = Array(repeating: 0.5, count: 256)
        var graph = Onnx_GraphProto()
        graph.name = "big"
        graph.initializer = [b, w]
        var mm = Onnx_NodeProto()
        mm.opType = "MatMul"
        mm.name = "mm"
        mm.input = ["x", "w"]
        mm.output = ["y"]
        var add = Onnx_NodeProto()
        add.opType = "Add"
        add.input = ["y", "b"]
        add.output = ["z"]
        graph.node = [mm, add]
        var x = Onnx_ValueInfoProto()
        x.name = "x"
        var z = Onnx_ValueInfoProto()
        z.name = "z"
        graph.input = [x]
        graph.output = [z]
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.graph = graph
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 13
        model.opsetImport = [opset]
        return try! model.serializedData()
    }

    func withTemporaryFile<R>(_ data: Data, _ body: (URL) throws -> R) throws -> R {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-big-\(UUID().uuidString).onnx")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    func failure(_ data: Data) throws -> ImportError? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-big-\(UUID().uuidString).onnx")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try ONNXImporter.load(contentsOf: url)
            return nil
        } catch {
            return error
        }
    }

    @Test func largeRawDataLoadsExactly() throws {
        let rows = 1100  // 1100 × 256 × 4 bytes > 1 MiB
        let model = try withTemporaryFile(Self.model(rows: rows)) { try ONNXImporter.load(contentsOf: $0) }
        let w = try #require(model.graph.initializers["w"])
        #expect(w.shape == [rows, 256])
        #expect(w.floats == (0..<(rows * 256)).map { Float($0 % 1000) })
        #expect(model.graph.initializers["b"]?.floats == Array(repeating: 0.5, count: 256))
        #expect(model.graph.layers.map(\.params) == [rows * 256, 256])
        #expect(model.graph.layers.map(\.name) == ["mm", "Add_1"])
    }

    @Test func largeRawDataWithLyingDims() throws {
        let data = Self.model(rows: 1100, declaredRows: 1_000_000_000)
        let error = try failure(data)
        #expect(error?.description.hasSuffix(
            "tensor 'w' has dims [1000000000, 256] (256000000000 elements) but 1126400 bytes of data") == true)
    }

    /// Cut inside the large payload: the decoder reports truncation, nothing reads past the end.
    @Test func truncatedInsideLargePayload() throws {
        let data = Self.model(rows: 1100)
        let error = try failure(data.prefix(data.count / 2))
        #expect(error?.description.hasSuffix("not a valid ONNX model (protobuf: truncated)") == true)
    }
}

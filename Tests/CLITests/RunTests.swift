import Foundation
import StrataCore
import Testing

/// `strata run` end to end, through the built binary (`STRATA_BIN`, set by `make test`).
@Suite struct RunTests: StrataCLITest {
    struct Manifest: Decodable {
        struct Entry: Decodable {
            var name: String, file: String, shape: [Int], dtype: String, layer: String?, layout: String
        }
        var complete: Bool
        var tensors: [Entry]
    }

    func manifest(_ dir: URL) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
    }

    @Test func classifiesBundledDigitWithLabels() throws {
        let r = try strata(["run", Self.asset("digits_cnn.onnx"), "--input", Self.asset("samples/digit_3.png"), "--top", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Doc: Decodable {
            struct Output: Decodable {
                struct Entry: Decodable { var index: Int; var value: Double; var label: String? }
                var name: String; var shape: [Int]; var top: [Entry]
            }
            var outputs: [Output]
        }
        let doc = try JSONDecoder().decode(Doc.self, from: Data(r.stdout.utf8))
        let top = try #require(doc.outputs.first?.top)
        #expect(top.count == 3)
        #expect(top[0].index == 3 && top[0].label == "3" && top[0].value > 0.9)
        let text = try strata(["run", Self.asset("digits_cnn.onnx"), "--input", Self.asset("samples/digit_7.png")])
        #expect(text.status == 0)
        #expect(text.stdout.contains("   1. [7]  7  "))
    }

    @Test func dumpsEveryONNXValueAsNPY() throws {
        let dir = try temporaryFolder()
        let r = try strata(["run", Self.asset("digits_cnn.onnx"), "--input", "random", "--dump", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try manifest(dir)
        #expect(m.complete)
        #expect(m.tensors.first?.name == "image" && m.tensors.first?.layout == "NCHW")
        #expect(m.tensors.count > 15)
        for entry in m.tensors {
            let t = try Tensor(npyFile: dir.appendingPathComponent(entry.file))
            #expect(t.shape == entry.shape && t.dtype.rawValue == entry.dtype)
            #expect(!entry.file.contains("/") && !entry.file.contains(":"))
        }
    }

    @Test func dumpsKerasLayerOutputsInNHWC() throws {
        let dir = try temporaryFolder()
        let r = try strata(["run", Self.asset("digits_cnn.keras"), "--input", Self.asset("samples/digit_1.png"), "--dump", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try manifest(dir)
        let conv = try #require(m.tensors.first { $0.name == "conv1" })
        #expect(conv.shape == [1, 28, 28, 6] && conv.layout == "NHWC" && conv.layer == "conv1")
        #expect(m.tensors.contains { $0.name == "probs" })
    }

    @Test func unsupportedOperatorExits3AndStillDumps() throws {
        let dir = try temporaryFolder()
        let model = dir.appendingPathComponent("fancy.onnx")
        try TinyONNX.reluThenFancy().write(to: model)
        let dump = dir.appendingPathComponent("dump")
        let r = try strata(["run", model.path, "--input", "zeros", "--dump", dump.path])
        #expect(r.status == 3)
        #expect(r.stderr == "strata: node 'mystery' (op FancyOp): not supported\n")
        let m = try manifest(dump)
        #expect(!m.complete)
        #expect(m.tensors.map(\.name) == ["x", "y"])
    }

    @Test func badInputsExit2WithOneLine() throws {
        let dir = try temporaryFolder()
        let png = dir.appendingPathComponent("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: png)
        let r = try strata(["run", Self.asset("digits_cnn.onnx"), "--input", png.path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("strata: \(png.path): cannot read PNG: ") && r.stderr.filter { $0 == "\n" }.count == 1)
        let npy = dir.appendingPathComponent("x.npy")
        try Tensor(shape: [3, 28], repeating: 0).writeNPY(to: npy)
        // The bundled model names its batch dimension as tf2onnx does.
        let wrong = try strata(["run", Self.asset("digits_cnn.onnx"), "--input", npy.path])
        #expect(wrong.status == 2)
        #expect(wrong.stderr == "strata: \(npy.path): shape [3, 28] does not fit input 'image' [unk__47, 1, 28, 28]\n")
    }
}

/// Hand-encoded ONNX protobuf for tests that need an operator Strata does not know.
enum TinyONNX {
    /// Graph: x float[2] → Relu → y → FancyOp (node 'mystery') → z; opset 13.
    static func reluThenFancy() -> Data {
        let dim = field(1, varint: 2)                                   // Dimension.dim_value
        let shape = field(2, bytes: field(1, bytes: dim))               // TensorShapeProto.dim
        let tensorType = field(1, varint: 1) + shape                    // elem_type FLOAT, shape
        let type = field(1, bytes: tensorType)                          // TypeProto.tensor_type
        let input = field(1, string: "x") + field(2, bytes: type)       // ValueInfoProto
        let relu = field(1, string: "x") + field(2, string: "y") + field(3, string: "relu") + field(4, string: "Relu")
        let fancy = field(1, string: "y") + field(2, string: "z") + field(3, string: "mystery") + field(4, string: "FancyOp")
        let graph = field(1, bytes: relu) + field(1, bytes: fancy) + field(2, string: "g") + field(11, bytes: input)
            + field(12, bytes: field(1, string: "z"))
        let opset = field(2, varint: 13)
        return Data(field(1, varint: 8) + field(7, bytes: graph) + field(8, bytes: opset))
    }

    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func field(_ number: UInt64, varint value: UInt64) -> [UInt8] { varint(number << 3) + varint(value) }
    static func field(_ number: UInt64, bytes: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes }
    static func field(_ number: UInt64, string: String) -> [UInt8] { field(number, bytes: Array(string.utf8)) }
}

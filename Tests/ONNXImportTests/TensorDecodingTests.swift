import Foundation
import ONNXImport
import StrataCore
import Testing

/// TensorProto → Tensor, typed fields against raw_data.
@Suite struct TensorDecodingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var dtype: DType
        var expected: [Double]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "f32", dtype: .float32, expected: [1.5, -2, 3.25, 0]),
        Case(name: "f64", dtype: .float64, expected: [1.5, -2, 1e300, 0.1]),
        Case(name: "i32", dtype: .int32, expected: [1, -2, 2_147_483_647, -2_147_483_648]),
        Case(name: "i8", dtype: .int8, expected: [1, -2, 127, -128]),
        Case(name: "u8", dtype: .uint8, expected: [0, 1, 200, 255]),
        Case(name: "i16", dtype: .int16, expected: [1, -2, 32767, -32768]),
        Case(name: "u16", dtype: .uint16, expected: [0, 1, 40000, 65535]),
        Case(name: "u32", dtype: .uint32, expected: [0, 1, 4_000_000_000, 4_294_967_295]),
        Case(name: "bool", dtype: .bool, expected: [1, 0, 1, 1]),
        Case(name: "f16", dtype: .float16, expected: [1, -2.5, 65504, 0.00006103515625]),
        Case(name: "bf16", dtype: .float32, expected: [1, -2, 3, 0.5]),
    ]

    static let initializers: [String: Tensor] = {
        (try? ONNXFixtures.load("typed_tensors.onnx").graph.initializers) ?? [:]
    }()

    @Test(arguments: cases) func typedAndRawFieldsAgree(_ c: Case) throws {
        let typed = try #require(Self.initializers["\(c.name)_typed"])
        let raw = try #require(Self.initializers["\(c.name)_raw"])
        #expect(typed.dtype == c.dtype)
        #expect(typed.shape == [2, 2])
        #expect(typed == raw)
        #expect(typed.doubles == c.expected)
    }

    /// 64-bit integers keep every bit (values beyond 2^53 do not survive a Double).
    @Test func sixtyFourBitIntegersAreExact() throws {
        let i64 = try #require(Self.initializers["i64_typed"])
        #expect(i64.scalars(as: Int64.self) == [1, -2, 9_007_199_254_740_993, Int64.min])
        #expect(Self.initializers["i64_raw"] == i64)
        let u64 = try #require(Self.initializers["u64_typed"])
        #expect(u64.scalars(as: UInt64.self) == [0, 1, (1 << 63) + 5, UInt64.max])
        #expect(Self.initializers["u64_raw"] == u64)
    }

    @Test func scalarTensor() throws {
        let scalar = try #require(Self.initializers["scalar_f32"])
        #expect(scalar.shape == [])
        #expect(scalar.floats == [7])
    }

    @Test func loadTensorFiles() throws {
        let raw = try ONNXImporter.loadTensor(contentsOf: ONNXFixtures.url("tensor_raw.pb"))
        #expect(raw == Tensor(shape: [2, 3], floats: [0, 0.25, 0.5, 0.75, 1, 1.25]))
        let ints = try ONNXImporter.loadTensor(contentsOf: ONNXFixtures.url("tensor_int64.pb"))
        #expect(ints == Tensor(shape: [3], scalars: [Int64(5), -6, 7]))
    }

    @Test func loadTensorRejectsAModelFile() {
        #expect(throws: ImportError.self) {
            try ONNXImporter.loadTensor(contentsOf: ONNXFixtures.url("not_onnx.onnx"))
        }
    }

    /// Every `*.pb` of the ONNX node tests decodes, or is refused for its element type (strings,
    /// complex, 8-bit and 4-bit floats), never for its structure.
    @Test func onnxConformanceTensorsDecode() throws {
        let node = try ONNXFixtures.onnxData().appendingPathComponent("node")
        let files = try #require(FileManager.default.enumerator(atPath: node.path))
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".pb") }
        #expect(files.count > 2000)
        var decoded = 0
        for file in files {
            do {
                _ = try ONNXImporter.loadTensor(contentsOf: node.appendingPathComponent(file))
                decoded += 1
            } catch {
                // Sequence and optional protos read as a tensor show dims that do not match their data.
                let message = error.description
                #expect(message.contains("data type") || message.contains("dims") || message.contains("has no data"),
                        "\(file): \(message)")
            }
        }
        #expect(decoded > files.count * 9 / 10)
    }
}

import Foundation
import Testing

/// `strata inspect` end to end, through the built binary (`STRATA_BIN`, set by `make test`; otherwise
/// the newest `.build*/{release,debug}/strata` of this checkout).
@Suite struct InspectTests: StrataCLITest {
    static let fixtures = repo.appendingPathComponent("Tests/ONNXImportTests/Fixtures")

    struct Summary: Decodable {
        struct Value: Decodable {
            var name: String
            var shape: [ShapeDim]?
        }
        struct Layer: Decodable {
            var name: String
            var op: String
            var inputs: [String]
            var outputs: [String]
            var output_shapes: [[ShapeDim]?]
            var params: Int
            var supported: Bool
        }
        var format: String
        var inputs: [Value]
        var outputs: [Value]
        var layers: [Layer]
        var params: Int
    }

    /// A dimension as JSON has it: a number, or a symbol's name.
    enum ShapeDim: Decodable, Equatable {
        case value(Int), symbol(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Int.self) { self = .value(v) } else { self = .symbol(try c.decode(String.self)) }
        }
    }

    func summary(_ path: String) throws -> Summary {
        let output = try strata(["inspect", path, "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONDecoder().decode(Summary.self, from: output.stdoutData)
    }

    /// Every layer's inputs are graph inputs or outputs of earlier layers (initializers are not listed).
    func expectTopological(_ s: Summary) {
        var defined = Set(s.inputs.map(\.name))
        for layer in s.layers {
            for input in layer.inputs where !defined.contains(input) {
                Issue.record("layer '\(layer.name)' reads '\(input)' before it is produced")
            }
            defined.formUnion(layer.outputs)
            #expect(layer.output_shapes.count == layer.outputs.count)
        }
        #expect(s.params == s.layers.reduce(0) { $0 + $1.params })
    }

    @Test func tinyConvJSON() throws {
        let s = try summary(Self.fixtures.appendingPathComponent("tiny_conv.onnx").path)
        #expect(s.format == "ONNX")
        #expect(s.inputs.map(\.name) == ["x"])
        #expect(s.inputs[0].shape == [.symbol("N"), .value(1), .value(8), .value(8)])
        #expect(s.outputs[0].shape == [.symbol("N"), .value(3)])
        #expect(s.layers.map(\.name) == ["conv", "relu", "pool", "flatten", "Gemm_4"])
        #expect(s.layers.map(\.op) == ["Conv", "Relu", "MaxPool", "Flatten", "Gemm"])
        #expect(s.layers.map(\.params) == [40, 0, 0, 0, 195])
        #expect(s.layers[2].output_shapes == [[.symbol("N"), .value(4), .value(4), .value(4)]])
        #expect(s.layers.allSatisfy { $0.supported })
        #expect(s.params == 235)
        expectTopological(s)
    }

    @Test func tinyConvText() throws {
        let output = try strata(["inspect", Self.fixtures.appendingPathComponent("tiny_conv.onnx").path])
        let text = output.stdout
        #expect(output.status == 0)
        #expect(text.contains("conv (Conv)"))
        #expect(text.contains("(N, 4, 8, 8)"))
        #expect(text.contains("Total params: 235"))
        #expect(!text.contains("Unsupported"))
    }

    @Test func unknownOperatorIsMarkedUnsupported() throws {
        let path = Self.fixtures.appendingPathComponent("unknown_op.onnx").path
        let s = try summary(path)
        #expect(s.layers.map(\.supported) == [true, false])
        #expect(s.layers[1].output_shapes == [nil])
        let text = try strata(["inspect", path]).stdout
        #expect(text.contains("Unsupported operators (*): FancyOp"))
    }

    @Test(arguments: [("truncated.onnx", "not a valid ONNX model (protobuf: truncated)"),
                      ("cycle.onnx", "the graph has a cycle through node 'first'"),
                      ("ext_escape.onnx", "external data '../../etc/passwd' is outside the model's folder"),
                      ("lying_dims.onnx", "tensor 'w' has dims [1000000, 1000000] (1000000000000 elements) but 16 bytes of data")])
    func badFileExits2WithOneLine(_ file: String, _ message: String) throws {
        let path = Self.fixtures.appendingPathComponent(file).path
        let output = try strata(["inspect", path, "--json"])
        #expect(output.status == 2)
        #expect(output.stdoutData.isEmpty)
        #expect(output.stderr == "strata: \(path): \(message)\n")
    }

    struct LightModel: CustomTestStringConvertible, Sendable {
        var name: String
        var nodes: Int
        var params: Int
        var testDescription: String { name }
    }

    /// Node counts and weights (float initializers plus ConstantOfShape weights) of the onnx 1.22.0 light models.
    static let lightModels = [
        LightModel(name: "light_resnet50", nodes: 415, params: 25_610_152),
        LightModel(name: "light_densenet121", nodes: 1746, params: 8_146_152),
        LightModel(name: "light_inception_v1", nodes: 237, params: 6_998_552),
        LightModel(name: "light_inception_v2", nodes: 916, params: 11_234_792),
        LightModel(name: "light_squeezenet", nodes: 105, params: 1_235_496),
        LightModel(name: "light_shufflenet", nodes: 446, params: 1_420_152),
        LightModel(name: "light_vgg19", nodes: 82, params: 143_667_240),
        LightModel(name: "light_bvlc_alexnet", nodes: 40, params: 60_965_224),
        LightModel(name: "light_zfnet512", nodes: 38, params: 87_250_536),
    ]

    @Test(arguments: lightModels) func onnxLightModel(_ m: LightModel) throws {
        let data = try #require(ProcessInfo.processInfo.environment["STRATA_ONNX_DATA"],
                                "set STRATA_ONNX_DATA to onnx/backend/test/data of the onnx 1.22.0 wheel (make test does)")
        let s = try summary("\(data)/light/\(m.name).onnx")
        #expect(s.layers.count == m.nodes)
        #expect(s.params == m.params)
        #expect(s.layers.allSatisfy { $0.output_shapes.allSatisfy { $0 != nil } })
        #expect(s.outputs.count == 1)
        expectTopological(s)
    }
}

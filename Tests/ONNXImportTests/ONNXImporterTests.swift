import Foundation
import ONNXImport
import StrataCore
import Testing

@Suite struct ONNXImporterTests {
    @Test func tinyConvGraph() throws {
        let model = try ONNXFixtures.load("tiny_conv.onnx")
        let graph = model.graph
        #expect(model.format == .onnx)
        #expect(graph.nodes.map(\.opType) == ["Conv", "Relu", "MaxPool", "Flatten", "Gemm"])
        #expect(graph.inputs.map(\.name) == ["x"])
        #expect(graph.inputs[0].type == TensorType(dtype: .float32, shape: [.symbol("N"), .value(1), .value(8), .value(8)]))
        #expect(graph.outputs[0].type.shape == [.symbol("N"), .value(3)])
        #expect(graph.valueInfo["c"]?.type.shape == [.symbol("N"), .value(4), .value(8), .value(8)])
        #expect(Set(graph.initializers.keys) == ["conv.w", "conv.b", "fc.w", "fc.b"])
        #expect(graph.initializers["conv.w"]?.shape == [4, 1, 3, 3])
        #expect(graph.opsets == ["": 13, "ai.onnx.ml": 3])
        #expect(graph.nodes[0].attributes["pads"] == .ints([1, 1, 1, 1]))
        #expect(graph.nodes[0].attributes["kernel_shape"] == .ints([3, 3]))
    }

    @Test func tinyConvLayers() throws {
        let layers = try ONNXFixtures.load("tiny_conv.onnx").graph.layers
        #expect(layers.map(\.name) == ["conv", "relu", "pool", "flatten", "Gemm_4"])
        #expect(layers.map(\.nodes) == [[0], [1], [2], [3], [4]])
        #expect(layers.map(\.params) == [4 * 9 + 4, 0, 0, 0, 64 * 3 + 3])
        #expect(layers[0].inputs == ["x"])
        #expect(layers[4].inputs == ["f"])
        #expect(layers[0].outputs == ["c"])
        #expect(layers[0].layout == "NCHW")
        #expect(layers[4].layout == "NC")
        #expect(layers[0].attributes["kernel_shape"] == .ints([3, 3]))
    }

    @Test func metadata() throws {
        let facts = try ONNXFixtures.load("tiny_conv.onnx").metadata
        #expect(facts["producer_name"] == "strata-fixtures")
        #expect(facts["producer_version"] == "1.0")
        #expect(facts["ir_version"] == "8")
        #expect(facts["opsets"] == "ai.onnx 13, ai.onnx.ml 3")
        #expect(facts["doc"] == "tiny conv fixture")
    }

    @Test func constantNodesStayNodes() throws {
        let graph = try ONNXFixtures.load("constants.onnx").graph
        let constants = graph.nodes.filter { $0.opType == "Constant" }
        #expect(constants.count == 5)
        #expect(graph.layers.count == graph.nodes.count)
        let byName = Dictionary(uniqueKeysWithValues: constants.map { ($0.name, $0.attributes) })
        #expect(byName["k_tensor"]?["value"] == .tensor(Tensor(shape: [2, 2], floats: [1, 2, 3, 4])))
        #expect(byName["k_float"]?["value_float"] == .float(2.5))
        #expect(byName["k_floats"]?["value_floats"] == .floats([1, 2]))
        #expect(byName["k_int"]?["value_int"] == .int(7))
        #expect(byName["k_ints"]?["value_ints"] == .ints([2, 2]))
        #expect(graph.nodes.first { $0.opType == "Cast" }?.attributes["to"] == .int(1))
    }

    @Test func oldIRInputsThatAreInitializersAreNotInputs() throws {
        let model = try ONNXFixtures.load("old_ir.onnx")
        #expect(model.graph.inputs.map(\.name) == ["x"])
        #expect(model.graph.initializers["w"] == Tensor(shape: [3, 2], floats: [0, 1, 2, 3, 4, 5]))
        #expect(model.graph.opsets[""] == 7)
        #expect(model.graph.layers[0].params == 6)
        #expect(model.graph.layers[0].inputs == ["x"])
        #expect(model.metadata["ir_version"] == "3")
    }

    @Test func unknownOperatorImports() throws {
        let graph = try ONNXFixtures.load("unknown_op.onnx").graph
        #expect(graph.nodes[1].opType == "FancyOp")
        #expect(graph.nodes[1].domain == "com.example")
        #expect(graph.nodes[1].attributes["strength"] == .int(3))
        #expect(graph.opsets["com.example"] == 1)
    }

    @Test func unknownDimsBecomeAnonymousSymbols() throws {
        let graph = try ONNXFixtures.load("unknown_dim.onnx").graph
        #expect(graph.inputs[0].type.shape == [.symbol("?"), .value(3)])
    }

    @Test func externalDataInsideTheFolder() throws {
        let graph = try ONNXFixtures.load("ext_good.onnx").graph
        #expect(graph.initializers["w"] == Tensor(shape: [3, 4], floats: (0..<12).map(Float.init)))
    }
}

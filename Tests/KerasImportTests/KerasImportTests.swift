import Foundation
import Testing
@testable import KerasImport
import StrataCore

/// Structure of the imported graphs, checked against what Keras itself reports (no runtime needed).
@Suite struct KerasImportTests {
    @Test(arguments: KerasFixtures.cases)
    func layersMatchKeras(_ c: KerasFixtures.Case) throws {
        let model = try KerasImporter.load(contentsOf: c.url)
        let expected = try KerasFixtures.expected(c)
        let layers = Dictionary(model.graph.layers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Keras 3 has activations tf.keras 2 lacks: check the layers this dialect's model has.
        let present = try KerasFixtures.references(c)
        for (name, cls) in expected.classes where cls != "InputLayer" && present[name] != nil {
            let layer = try #require(layers[name], "no layer '\(name)'")
            #expect(layer.op == cls, "\(name)")
            #expect(layer.params == expected.params[name], "params of \(name)")
        }
        #expect(model.graph.inputs.map(\.name) == expected.inputs)
        #expect(model.format == (c.fileName.hasSuffix(".keras") ? .kerasArchive : .kerasH5))
    }

    /// Every reference tensor is a layer output whose inferred shape is the reference's (batch symbolic).
    @Test(arguments: KerasFixtures.cases)
    func outputShapesMatchReferences(_ c: KerasFixtures.Case) throws {
        let graph = try KerasImporter.load(contentsOf: c.url).graph
        let outputs = Set(graph.layers.flatMap(\.outputs))
        for (name, ref) in try KerasFixtures.references(c) {
            #expect(outputs.contains(name), "no layer output '\(name)'")
            guard c.model != "lambda_model" || name == "before" else { continue }
            let shape = try #require(graph.valueInfo[name]?.type.shape, "no shape for '\(name)'")
            #expect(shape.first == .symbol("N"), "\(name)")
            #expect(shape.dropFirst().map(\.intValue) == ref.shape.dropFirst().map { $0 }, "\(name)")
        }
    }

    /// Nodes only read values that exist before them, the last node of a layer writes the layer's value,
    /// and no internal value shadows a weight.
    @Test(arguments: KerasFixtures.cases)
    func graphIsWellFormed(_ c: KerasFixtures.Case) throws {
        let graph = try KerasImporter.load(contentsOf: c.url).graph
        var defined = Set(graph.inputs.map(\.name)).union(graph.initializers.keys)
        for node in graph.nodes {
            for input in node.inputs where !input.isEmpty { #expect(defined.contains(input), "\(node.name) reads '\(input)'") }
            for output in node.outputs {
                #expect(!defined.contains(output), "'\(output)' written twice")
                defined.insert(output)
            }
        }
        for layer in graph.layers where !layer.nodes.isEmpty {
            #expect(graph.nodes[layer.nodes.last!].outputs == [layer.outputs[0]] || layer.outputs.count > 1, "\(layer.name)")
        }
        for output in graph.outputs { #expect(defined.contains(output.name)) }
    }

    @Test func nestedAndSharedLayersAreNamedForTheDump() throws {
        for file in ["functional.h5", "functional.tfkeras2.h5", "functional.keras"] {
            let graph = try KerasImporter.load(contentsOf: KerasFixtures.Case(model: "functional", fileName: file).url).graph
            let names = graph.layers.map(\.name)
            #expect(names.contains("encoder/enc_fc"), "\(file)")
            #expect(names.contains("encoder"), "\(file)")
            #expect(names.contains("shared") && names.contains("shared_1"), "\(file)")
            let shared = graph.layers.filter { $0.op == "Dense" && $0.name.hasPrefix("shared") }
            #expect(shared.map(\.params).sorted() == [0, 42], "a shared layer's weights count once")
            #expect(graph.outputs.map(\.name) == ["out_probs", "out_map"])
        }
    }

    @Test func conv2DBecomesTransposeConvTranspose() throws {
        let graph = try KerasImporter.load(contentsOf: KerasFixtures.Case(model: "seq_cnn", fileName: "seq_cnn.h5").url).graph
        let layer = try #require(graph.layers.first { $0.name == "conv_s2" })
        #expect(layer.nodes.map { graph.nodes[$0].opType } == ["Transpose", "Conv", "Transpose", "Relu"])
        #expect(layer.layout == "NHWC")
        let conv = graph.nodes[layer.nodes[1]]
        // 12×12 input, 3×3 kernel, stride 2, "same": TensorFlow pads 0 before and 1 after.
        #expect(conv.attributes["pads"] == .ints([0, 0, 1, 1]))
        #expect(graph.initializers["conv_s2/kernel"]?.shape == [4, 3, 3, 3])
        #expect(graph.nodes[layer.nodes.last!].outputs == ["conv_s2"])
    }

    @Test func lambdaBecomesAnUnsupportedNode() throws {
        for file in ["lambda_model.h5", "lambda_model.tfkeras2.h5", "lambda_model.keras"] {
            let graph = try KerasImporter.load(contentsOf: KerasFixtures.Case(model: "lambda_model", fileName: file).url).graph
            let layer = try #require(graph.layers.first { $0.name == "double" })
            let node = graph.nodes[layer.nodes[0]]
            #expect(node.opType == "Lambda" && node.domain == KerasLayers.unsupportedDomain, "\(file)")
            #expect(graph.valueInfo["double"] == nil, "its output shape is unknown")
            #expect(graph.layers.contains { $0.name == "after" }, "layers after it are still imported")
        }
    }

    @Test func hardSigmoidFollowsTheDialect() throws {
        func alpha(_ file: String) throws -> Attribute? {
            let graph = try KerasImporter.load(contentsOf: KerasFixtures.Case(model: "activations", fileName: file).url).graph
            return graph.nodes.first { $0.opType == "HardSigmoid" }?.attributes["alpha"]
        }
        #expect(try alpha("activations.tfkeras2.h5") == .float(0.2))
        #expect(try alpha("activations.h5") == .float(1.0 / 6.0))
    }

    @Test func matchesBySignatureOrExtension() {
        #expect(KerasImporter.matches(prefix: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], fileName: "x.bin"))
        #expect(KerasImporter.matches(prefix: [0x50, 0x4B, 3, 4], fileName: "model.KERAS"))
        #expect(!KerasImporter.matches(prefix: [0x08, 0x07], fileName: "model.onnx"))
    }
}

/// Configs built in the test, for cases no fixture covers.
@Suite struct KerasConfigTests {
    struct NoWeights: KerasWeightStore {
        let topScope = WeightScope(path: "", depth: 0)
        func scope(ofNested layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) -> WeightScope { scope }
        func weights(of layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) -> [Tensor] { [] }
    }

    static func build(_ layers: String) throws(ImportError) -> Graph {
        let json = """
        {"class_name": "Sequential", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 3, 8, 8]}}, \(layers)]}}
        """
        let spec = try KerasConfigParser.parseModel(json: Data(json.utf8), file: "m.h5")
        return try KerasGraphBuilder(file: "m.h5", dialect: .keras2, store: NoWeights()).build(spec)
    }

    @Test func channelsFirstIsRefusedNotMiscomputed() {
        #expect(throws: ImportError.invalid(file: "m.h5", problem: "layer 'p' (MaxPooling2D): data_format 'channels_first' is not supported")) {
            try Self.build(#"{"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2], "data_format": "channels_first"}}"#)
        }
    }

    @Test func zeroStrideIsAnError() {
        #expect(throws: ImportError.invalid(file: "m.h5", problem: "layer 'p' (MaxPooling2D): window [2, 2], strides [0, 0], dilations [1, 1] must be positive")) {
            try Self.build(#"{"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2], "strides": [0, 0]}}"#)
        }
    }

    @Test func sequentialWithoutInputLayerTakesTheFirstLayersShape() throws {
        let json = """
        {"class_name": "Sequential", "config": {"name": "m", "layers": [
          {"class_name": "Flatten", "config": {"name": "flat", "batch_input_shape": [null, 2, 3]}}]}}
        """
        let spec = try KerasConfigParser.parseModel(json: Data(json.utf8), file: "m.h5")
        let graph = try KerasGraphBuilder(file: "m.h5", dialect: .keras2, store: NoWeights()).build(spec)
        #expect(graph.inputs.map(\.name) == ["flat_input"])
        #expect(graph.valueInfo["flat"]?.type.shape == [.symbol("N"), .value(6)])
    }

    @Test func unknownClassIsKeptUnsupported() throws {
        let graph = try Self.build(#"{"class_name": "MyCustomLayer", "config": {"name": "c"}}"#)
        let node = try #require(graph.nodes.last)
        #expect(node.opType == "MyCustomLayer" && node.domain == "keras.unsupported" && node.outputs == ["c"])
    }
}

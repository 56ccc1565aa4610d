import StrataCore
import Testing
@testable import UI

@Suite struct LayerSummaryTests {
    @Test func summaryListsShapesWeightsAndAttributesWithoutARun() {
        let weight = Tensor(shape: [8, 1, 3, 3], repeating: 0.5)
        var graph = Graph(name: "g")
        graph.initializers = ["w": weight]
        let layer = Layer(name: "conv1", op: "Conv", nodes: [0], inputs: ["x", "w"], outputs: ["y"], params: 72,
                          layout: "NCHW", attributes: ["strides": .ints([1, 1]), "auto_pad": .string("SAME_UPPER")])
        let types = ["x": TensorType(dtype: .float32, shape: [.symbol("N"), .value(1), .value(28), .value(28)])]
        let s = LayerSummary(layer: layer, graph: graph, types: types, trace: nil)
        #expect(s.name == "conv1" && s.op == "Conv" && s.params == 72)
        #expect(s.inputs.map(\.name) == ["x"] && s.inputs.map(\.shape) == ["N×1×28×28"])
        #expect(s.outputs.map(\.shape) == ["?"])
        #expect(s.weights.map(\.name) == ["w"] && s.weights.map(\.shape) == ["8×1×3×3"])
        #expect(s.attributes.map(\.name) == ["auto_pad", "strides"])
        #expect(s.attributes.map(\.value) == ["\"SAME_UPPER\"", "[1, 1]"])
        #expect(s.stats == nil && s.histogram.isEmpty)
    }

    @Test func formatsNumbersCountsAndShapes() {
        #expect(UIFormat.count(28886) == "28,886")
        #expect(UIFormat.count(999) == "999")
        #expect(UIFormat.shape([1, 8, 28, 28]) == "1×8×28×28")
        #expect(UIFormat.number(.nan) == "NaN" && UIFormat.number(-.infinity) == "-Inf")
        #expect(UIFormat.number(2.069712) == "2.0697")
        #expect(UIFormat.number(0.00001) == "1.000e-05")
    }
}

import StrataCore

@testable import Scene

/// Hand-built graphs for layout tests: one layer per node, types given directly.
struct GraphBuilder {
    var graph = Graph(name: "test")
    var types: [String: TensorType] = [:]
    var layout = "NCHW"

    init(input: String = "x", shape: [Int]) {
        graph.inputs = [ValueInfo(name: input, type: TensorType(dtype: .float32, shape: shape.map { .value($0) }))]
        types[input] = TensorType(dtype: .float32, shape: shape.map { .value($0) })
    }

    /// Adds node `name` (`op`) reading `inputs` and writing value `name` of `shape` (nil = unknown).
    mutating func add(_ name: String, _ op: String, _ inputs: [String], shape: [Int]?, weights: [String] = []) {
        let i = graph.nodes.count
        graph.nodes.append(Node(name: name, opType: op, inputs: inputs + weights, outputs: [name]))
        for w in weights { graph.initializers[w] = Tensor(shape: [1], floats: [1]) }
        graph.layers.append(
            Layer(name: name, op: op, nodes: [i], inputs: inputs, outputs: [name], params: 0, layout: layout))
        if let shape { types[name] = TensorType(dtype: .float32, shape: shape.map { .value($0) }) }
    }

    mutating func output(_ name: String) {
        graph.outputs = [ValueInfo(name: name)]
    }

    /// input → conv → relu → pool → flatten → gemm → softmax.
    static func sequential() -> GraphBuilder {
        var b = GraphBuilder(shape: [1, 1, 28, 28])
        b.add("conv", "Conv", ["x"], shape: [1, 8, 28, 28], weights: ["w"])
        b.add("relu", "Relu", ["conv"], shape: [1, 8, 28, 28])
        b.add("pool", "MaxPool", ["relu"], shape: [1, 8, 14, 14])
        b.add("flatten", "Flatten", ["pool"], shape: [1, 1568])
        b.add("gemm", "Gemm", ["flatten"], shape: [1, 10], weights: ["fc"])
        b.add("softmax", "Softmax", ["gemm"], shape: [1, 10])
        b.output("softmax")
        return b
    }

    /// A stem and two residual blocks: one with a projection shortcut (two parallel branches), one identity.
    static func resnetLike() -> GraphBuilder {
        var b = GraphBuilder(shape: [1, 3, 32, 32])
        b.add("stem", "Conv", ["x"], shape: [1, 16, 32, 32], weights: ["w0"])
        b.add("a1", "Conv", ["stem"], shape: [1, 32, 16, 16], weights: ["w1"])
        b.add("a1_relu", "Relu", ["a1"], shape: [1, 32, 16, 16])
        b.add("a2", "Conv", ["a1_relu"], shape: [1, 32, 16, 16], weights: ["w2"])
        b.add("proj", "Conv", ["stem"], shape: [1, 32, 16, 16], weights: ["w3"])
        b.add("add1", "Add", ["a2", "proj"], shape: [1, 32, 16, 16])
        b.add("b1", "Conv", ["add1"], shape: [1, 32, 16, 16], weights: ["w4"])
        b.add("b1_relu", "Relu", ["b1"], shape: [1, 32, 16, 16])
        b.add("b2", "Conv", ["b1_relu"], shape: [1, 32, 16, 16], weights: ["w5"])
        b.add("add2", "Add", ["b2", "add1"], shape: [1, 32, 16, 16])
        b.add("gap", "GlobalAveragePool", ["add2"], shape: [1, 32, 1, 1])
        b.add("fc", "Gemm", ["gap"], shape: [1, 10], weights: ["w6"])
        b.output("fc")
        return b
    }

    /// conv → Reshape whose shape comes from Shape → Gather → Unsqueeze → Concat(with a Constant).
    static func withShapeSubgraph() -> GraphBuilder {
        var b = GraphBuilder(shape: [1, 1, 8, 8])
        b.add("conv", "Conv", ["x"], shape: [1, 4, 8, 8], weights: ["w"])
        b.add("shape", "Shape", ["conv"], shape: [4])
        b.add("gather", "Gather", ["shape"], shape: [], weights: ["idx0"])
        b.add("unsq", "Unsqueeze", ["gather"], shape: [1], weights: ["axes"])
        b.add("minus1", "Constant", [], shape: [1])
        b.add("concat", "Concat", ["unsq", "minus1"], shape: [2])
        b.add("reshape", "Reshape", ["conv", "concat"], shape: [1, 256])
        b.add("fc", "Gemm", ["reshape"], shape: [1, 10], weights: ["fcw"])
        b.output("fc")
        return b
    }
}

/// An arange-like activation: element i is `Float(i) * scale + offset`.
func rampTensor(_ shape: [Int], scale: Float = 1, offset: Float = 0) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, floats: (0..<n).map { Float($0) * scale + offset })
}

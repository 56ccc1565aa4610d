import StrataCore

// Small helpers that keep hand-built test graphs readable.

extension Dim: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int) { self = .value(value) }
    public init(stringLiteral value: String) { self = .symbol(value) }
}

/// A node named after its first output.
func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attributes: [String: Attribute] = [:]) -> Node {
    Node(name: outputs.first ?? op, opType: op, inputs: inputs, outputs: outputs, attributes: attributes)
}

/// A graph input of the given element type and shape.
func input(_ name: String, _ shape: [Dim]?, _ dtype: DType = .float32) -> ValueInfo {
    ValueInfo(name: name, type: TensorType(dtype: dtype, shape: shape))
}

/// An int64 tensor, 1-D unless `shape` says otherwise.
func int64s(_ values: [Int], shape: [Int]? = nil) -> Tensor {
    Tensor(shape: shape ?? [values.count], scalars: values.map(Int64.init))
}

/// A float32 tensor, 1-D unless `shape` says otherwise.
func floats(_ values: [Float], shape: [Int]? = nil) -> Tensor {
    Tensor(shape: shape ?? [values.count], floats: values)
}

/// Runs shape inference over a graph made of `nodes`.
func infer(_ nodes: [Node], inputs: [ValueInfo], initializers: [String: Tensor] = [:], opset: Int = 13,
           valueInfo: [ValueInfo] = [], outputs: [ValueInfo] = []) -> ShapeInference.Result {
    let graph = Graph(name: "test", nodes: nodes, inputs: inputs, outputs: outputs, initializers: initializers,
                      valueInfo: Dictionary(uniqueKeysWithValues: valueInfo.map { ($0.name, $0) }), opsets: ["": opset])
    return ShapeInference.inferTypesAndValues(graph)
}

/// The inferred shape of `name`, or `nil`.
func shapeOf(_ name: String, _ result: ShapeInference.Result) -> [Dim]? {
    result.types[name]?.shape
}

/// True when `d` is a fresh symbol made by inference.
func isFresh(_ d: Dim?) -> Bool {
    if case let .symbol(s)? = d { return s.hasPrefix("?") }
    return false
}

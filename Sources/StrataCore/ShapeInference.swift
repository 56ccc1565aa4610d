/// Static shape and type inference over a graph.
public enum ShapeInference {
    /// Types of every value that can be inferred: graph inputs, initializers, declared `value_info`, and the
    /// outputs of each node. Symbolic dimensions (a batch `N`) stay symbolic.
    public static func infer(_ graph: Graph) -> [String: TensorType] {
        var types: [String: TensorType] = [:]
        for input in graph.inputs { types[input.name] = input.type }
        for (name, t) in graph.initializers { types[name] = TensorType(dtype: t.dtype, shape: t.shape.map { .value($0) }) }
        for (name, info) in graph.valueInfo where types[name] == nil { types[name] = info.type }
        return types
    }
}

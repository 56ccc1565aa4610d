import Runtime
import StrataCore

/// Runs the registered kernel for `op` on `inputs` (nil for an omitted optional input).
func runKernel(_ op: String, _ inputs: [Tensor?], attributes: [String: Attribute] = [:], opset: Int = 17,
               outputs: Int = 1) throws -> [Tensor] {
    let names = inputs.indices.map { inputs[$0] == nil ? "" : "in\($0)" }
    let node = Node(name: "n", opType: op, inputs: names, outputs: (0..<outputs).map { "out\($0)" }, attributes: attributes)
    guard let kernel = KernelRegistry.kernel(for: node) else { throw RuntimeError.unsupportedOperator(node: "n", op: op) }
    return try kernel(node, inputs, KernelContext(opset: opset))
}

/// The one output of `op`.
func run1(_ op: String, _ inputs: [Tensor?], attributes: [String: Attribute] = [:], opset: Int = 17) throws -> Tensor {
    try runKernel(op, inputs, attributes: attributes, opset: opset)[0]
}

/// `0, 1, 2, ...` as float32 of `shape`.
func arange(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, floats: (0..<shape.reduce(1, *)).map(Float.init))
}

func ints(_ values: [Int64]) -> Tensor { Tensor(shape: [values.count], scalars: values) }

import StrataCore

/// LayerNormalization (opset 17): normalises over the axes from `axis` to the last.
enum LayerNormalization {
    /// `X`, `Scale` and optional `B` broadcastable to `X.shape[axis...]` → `Y`, and `Mean`, `InvStdDev` (shape
    /// `X.shape[..<axis]` followed by ones) when the node asks for them.
    static func run(_ node: Node, _ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        let scale = try FloatArgs.required(node, inputs, 1, "Scale")
        let bias = try FloatArgs.optional(node, inputs, 2, "B")
        var axis = node.int("axis", default: -1)
        if axis < 0 { axis += x.rank }
        guard axis >= 0, axis < max(x.rank, 1) else { throw node.invalid("axis \(node.int("axis", default: -1)) is out of range for X \(x.shape)") }
        let normalized = Array(x.shape[axis...])
        let width = normalized.reduce(1, *)
        let rows = width == 0 ? 0 : x.count / width
        let s = try expand(scale, to: normalized, node, "Scale")
        let b = try bias.map { try expand($0, to: normalized, node, "B") } ?? [Float](repeating: 0, count: width)
        let epsilon = Double(node.float("epsilon", default: 1e-5))
        var y = Tensor(dtype: .float32, shape: x.shape)
        let statsShape = Array(x.shape[..<axis]) + Array(repeating: 1, count: x.rank - axis)
        var means = [Float](repeating: 0, count: rows), invs = means
        x.withFloats { xs in
            y.withMutableFloats { ys in
                for r in 0..<rows {
                    let (mean, inv) = moments(xs.baseAddress! + r * width, count: width, epsilon: epsilon)
                    (means[r], invs[r]) = (mean, inv)
                    for i in 0..<width { ys[r * width + i] = (xs[r * width + i] - mean) * inv * s[i] + b[i] }
                }
            }
        }
        let all = [y, Tensor(shape: statsShape, floats: means), Tensor(shape: statsShape, floats: invs)]
        return Array(all.prefix(max(1, min(3, node.outputs.count))))
    }

    /// Mean and `1 / sqrt(variance + epsilon)` of `count` floats (population variance, accumulated in Double).
    static func moments(_ p: UnsafePointer<Float>, count: Int, epsilon: Double) -> (Float, Float) {
        guard count > 0 else { return (0, Float(1 / epsilon.squareRoot())) }
        var sum = 0.0
        for i in 0..<count { sum += Double(p[i]) }
        let mean = sum / Double(count)
        var squares = 0.0
        for i in 0..<count {
            let d = Double(p[i]) - mean
            squares += d * d
        }
        return (Float(mean), Float(1 / (squares / Double(count) + epsilon).squareRoot()))
    }

    /// `t`'s values repeated to fill `shape` (NumPy broadcasting, `t` no larger than `shape`).
    static func expand(_ t: Tensor, to shape: [Int], _ node: Node, _ role: String) throws -> [Float] {
        let values = t.scalars(as: Float.self)
        if t.shape == shape { return values }
        guard t.rank <= shape.count, MatMul.broadcast(t.shape, shape) == shape else {
            throw node.invalid("\(role) \(t.shape) does not broadcast to \(shape)")
        }
        let offsets = MatMul.offsets(of: t.shape, in: shape, matrix: 1)
        return offsets.map { values[$0] }
    }
}

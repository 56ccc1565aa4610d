import StrataCore

/// Input checks shared by the float32 kernels (conv, pool, gemm, normalization, resize).
enum FloatArgs {
    /// Input `index`, which must be present and float32; `role` names it in errors ("X", "W").
    static func required(_ node: Node, _ inputs: [Tensor?], _ index: Int, _ role: String) throws -> Tensor {
        guard index < inputs.count, let t = inputs[index] else { throw node.invalid("input \(role) is missing") }
        guard t.dtype == .float32 else { throw node.invalid("input \(role) is \(t.dtype), expected float32") }
        return t
    }

    /// Input `index` if given (present and non-empty name), which must then be float32.
    static func optional(_ node: Node, _ inputs: [Tensor?], _ index: Int, _ role: String) throws -> Tensor? {
        guard index < inputs.count, let t = inputs[index] else { return nil }
        guard t.dtype == .float32 else { throw node.invalid("input \(role) is \(t.dtype), expected float32") }
        return t
    }

    /// Checks that `t` has rank `rank`, naming `role` in the error.
    static func expectRank(_ node: Node, _ t: Tensor, _ ranks: ClosedRange<Int>, _ role: String) throws {
        guard ranks.contains(t.rank) else {
            let wanted = ranks.lowerBound == ranks.upperBound ? "\(ranks.lowerBound)" : "\(ranks.lowerBound)-\(ranks.upperBound)"
            throw node.invalid("input \(role) has shape \(t.shape), expected rank \(wanted)")
        }
    }
}

import Foundation
import StrataCore

/// Reductions (ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceSumSquare, ReduceL1, ReduceL2,
/// ReduceLogSum, ReduceLogSumExp) and ArgMax/ArgMin. Computed in double precision on any numeric input;
/// the result has the input's type.
enum ReduceKernels {
    static let all: [String: Kernel] = {
        var kernels: [String: Kernel] = [
            "ArgMax": { node, inputs, _ in [try argExtreme(node, inputs, max: true)] },
            "ArgMin": { node, inputs, _ in [try argExtreme(node, inputs, max: false)] },
        ]
        for kind in Reduction.allCases {
            kernels[kind.rawValue] = { node, inputs, _ in [try reduce(node, inputs, kind)] }
        }
        return kernels
    }()

    enum Reduction: String, CaseIterable {
        case mean = "ReduceMean", sum = "ReduceSum", max = "ReduceMax", min = "ReduceMin", prod = "ReduceProd"
        case sumSquare = "ReduceSumSquare", l1 = "ReduceL1", l2 = "ReduceL2", logSum = "ReduceLogSum"
        case logSumExp = "ReduceLogSumExp"

        /// Reduces `n` contiguous values.
        func apply(_ v: UnsafePointer<Double>, _ n: Int) -> Double {
            switch self {
            case .mean: return n == 0 ? .nan : (0..<n).reduce(0.0) { $0 + v[$1] } / Double(n)
            case .sum: return (0..<n).reduce(0.0) { $0 + v[$1] }
            case .max: return (0..<n).reduce(-Double.infinity) { Swift.max($0, v[$1]) }
            case .min: return (0..<n).reduce(Double.infinity) { Swift.min($0, v[$1]) }
            case .prod: return (0..<n).reduce(1.0) { $0 * v[$1] }
            case .sumSquare: return (0..<n).reduce(0.0) { $0 + v[$1] * v[$1] }
            case .l1: return (0..<n).reduce(0.0) { $0 + abs(v[$1]) }
            case .l2: return (0..<n).reduce(0.0) { $0 + v[$1] * v[$1] }.squareRoot()
            case .logSum: return Foundation.log((0..<n).reduce(0.0) { $0 + v[$1] })
            case .logSumExp:
                let m = (0..<n).reduce(-Double.infinity) { Swift.max($0, v[$1]) }
                guard m.isFinite else { return m }
                return m + Foundation.log((0..<n).reduce(0.0) { $0 + Foundation.exp(v[$1] - m) })
            }
        }
    }

    /// Normalised, sorted, distinct axes from input 1 (when given) or the `axes` attribute.
    static func axes(_ node: Node, _ inputs: [Tensor?], rank: Int) throws -> [Int]? {
        let raw: [Int]?
        if inputs.count > 1, let t = inputs[1] { raw = t.int64s.map { Int($0) } } else { raw = node.ints("axes") }
        guard let raw, !raw.isEmpty else { return nil }
        let axes = try raw.map { a in
            let axis = a < 0 ? a + rank : a
            guard (0..<max(rank, 1)).contains(axis) else { throw node.invalid("axis \(a) is out of range for rank \(rank)") }
            return axis
        }
        return Array(Set(axes)).sorted()
    }

    static func reduce(_ node: Node, _ inputs: [Tensor?], _ kind: Reduction) throws -> Tensor {
        guard let x = inputs.first ?? nil else { throw node.invalid("input is missing") }
        let keep = node.int("keepdims", default: 1) != 0
        let given = try axes(node, inputs, rank: x.rank)
        if given == nil && node.int("noop_with_empty_axes", default: 0) != 0 { return x }
        let reduced = given ?? Array(0..<x.rank)
        let (values, outer, length) = moveLast(x, reduced)
        var result = [Double](repeating: 0, count: outer)
        values.withUnsafeBufferPointer { v in
            for i in 0..<outer { result[i] = kind.apply(v.baseAddress! + i * length, length) }
        }
        let shape = x.shape.indices.compactMap { i -> Int? in
            reduced.contains(i) ? (keep ? 1 : nil) : x.shape[i]
        }
        return Tensor(shape: shape, scalars: result).converted(to: x.dtype)
    }

    /// The elements as doubles, permuted so that `axes` come last: `outer` rows of `length` values.
    static func moveLast(_ x: Tensor, _ axes: [Int]) -> (values: [Double], outer: Int, length: Int) {
        let kept = x.shape.indices.filter { !axes.contains($0) }
        let perm = kept + axes
        let strides = Broadcast.strides(x.shape)
        let permuted = Broadcast.stridedCopy(x, strides: perm.map { strides[$0] }, shape: perm.map { x.shape[$0] })
        let length = axes.map { x.shape[$0] }.reduce(1, *)
        let outer = kept.map { x.shape[$0] }.reduce(1, *)
        return (permuted.doubles, outer, length)
    }

    /// ArgMax / ArgMin along `axis` (default 0), int64; ties give the first index unless `select_last_index`.
    static func argExtreme(_ node: Node, _ inputs: [Tensor?], max: Bool) throws -> Tensor {
        guard let x = inputs.first ?? nil else { throw node.invalid("input is missing") }
        let a = node.int("axis", default: 0)
        let axis = a < 0 ? a + x.rank : a
        guard (0..<x.rank).contains(axis) else { throw node.invalid("axis \(a) is out of range for shape \(x.shape)") }
        let last = node.int("select_last_index", default: 0) != 0
        let (values, outer, length) = moveLast(x, [axis])
        var result = [Int64](repeating: 0, count: outer)
        for i in 0..<outer {
            var best = 0
            for j in 1..<Swift.max(length, 1) {
                let v = values[i * length + j], b = values[i * length + best]
                let better = max ? (v > b || (last && v == b)) : (v < b || (last && v == b))
                if better { best = j }
            }
            result[i] = Int64(best)
        }
        var shape = x.shape
        if node.int("keepdims", default: 1) != 0 { shape[axis] = 1 } else { shape.remove(at: axis) }
        return Tensor(shape: shape, scalars: result)
    }
}

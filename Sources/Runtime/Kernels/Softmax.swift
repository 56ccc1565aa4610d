import Foundation
import StrataCore

/// Softmax, LogSoftmax and Hardmax, float32 (other float types converted).
///
/// Before opset 13 the input is coerced to 2-D at `axis` (default 1) and normalised over everything from
/// `axis` on; from opset 13 it is normalised along the single axis `axis` (default -1).
enum SoftmaxKernels {
    static let all: [String: Kernel] = [
        "Softmax": { node, inputs, context in [try softmax(node, inputs, context, log: false)] },
        "LogSoftmax": { node, inputs, context in [try softmax(node, inputs, context, log: true)] },
    ]

    /// Extents of a softmax: `outer` independent groups of `length` elements `stride` apart.
    struct Extent { var outer: Int, length: Int, stride: Int }

    static func extent(_ node: Node, _ shape: [Int], opset: Int) throws -> Extent {
        let rank = shape.count
        let legacy = opset < 13
        var axis = node.int("axis", default: legacy ? 1 : -1)
        if axis < 0 { axis += rank }
        guard rank == 0 ? axis == 0 : (0..<rank).contains(axis) else {
            throw node.invalid("axis \(node.int("axis", default: 0)) is out of range for shape \(shape)")
        }
        let outer = shape[..<min(axis, rank)].reduce(1, *)
        if legacy { return Extent(outer: outer, length: shape[min(axis, rank)...].reduce(1, *), stride: 1) }
        let inner = rank == 0 ? 1 : shape[(axis + 1)...].reduce(1, *)
        return Extent(outer: outer * inner, length: rank == 0 ? 1 : shape[axis], stride: inner)
    }

    static func softmax(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext, log: Bool) throws -> Tensor {
        let (x, dtype) = try FloatMap.input(node, inputs)
        let e = try extent(node, x.shape, opset: context.opset)
        var out = Tensor(dtype: .float32, shape: x.shape)
        guard x.count > 0 else { return out.converted(to: dtype) }
        x.withFloats { s in
            out.withMutableFloats { d in
                let src = s.baseAddress!, dst = d.baseAddress!
                ParallelFor.run(e.outer, cost: e.length * 8) { range in
                    for group in range {
                        let base = (group / e.stride) * e.length * e.stride + group % e.stride
                        normalise(src + base, dst + base, e.length, e.stride, log: log)
                    }
                }
            }
        }
        return out.converted(to: dtype)
    }

    /// One group: max-shifted exponentials, then divided by (or log-subtracted of) their sum.
    @inline(__always)
    static func normalise(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ stride: Int, log: Bool) {
        var m = -Float.infinity
        for i in 0..<n { m = max(m, x[i * stride]) }
        var sum: Float = 0
        for i in 0..<n {
            let v = expf(x[i * stride] - m)
            y[i * stride] = v
            sum += v
        }
        if log {
            // (x − m) − log(sum), not x − (m + log(sum)): for large x the sum m + log(sum) would round.
            let l = logf(sum)
            for i in 0..<n { y[i * stride] = (x[i * stride] - m) - l }
        } else {
            let r = 1 / sum
            for i in 0..<n { y[i * stride] *= r }
        }
    }
}

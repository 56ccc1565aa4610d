/// The ops of a `ConvEpilogue` as plain values: each op's kind, scalars, pointers to its per-channel constants
/// (copied into `constants`) and its output buffer.
///
/// A plan builds one for each Conv's chain, writing nowhere, and every call lends the kernels a copy on its own
/// stack with that call's buffers (`withEpilogue`): building the steps at every call took four allocations and
/// a copy of every constant, and the kernels' closures retained them on both cores.
final class EpilogueSteps: @unchecked Sendable {
    struct Step {
        enum Kind { case affine, multiply, add, addTensor, relu, clip }
        var kind: Kind
        /// Per-channel scale or factor or term (nil: `single` for every channel), and the affine shift; for
        /// `.addTensor`, the tensor added.
        var first: UnsafePointer<Float>?, second: UnsafePointer<Float>?
        var single: Float = 0, low: Float = -.infinity, high: Float = .infinity
        /// Where the op writes (nil in a plan's steps, which write nowhere yet).
        var output: UnsafeMutablePointer<Float>?
        var isLast = false
        /// For `.addTensor`: the conv's side is the sum's first operand (`first` holds the other).
        var convFirst = true

        /// Runs the op on `count` values at flat `offset` of the conv output, in channel `channel`: `src` and `dst`
        /// already point there (an `.addTensor` reads its tensor, `first`, at the same offset).
        @inline(__always)
        func apply(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, channel: Int, offset: Int, count: Int) {
            switch kind {
            case .addTensor where convFirst: FloatSIMD.sum(src, first! + offset, dst, count: count)
            case .addTensor: FloatSIMD.sum(first! + offset, src, dst, count: count)
            case .affine: FloatSIMD.affine(src, dst, count: count, scale: first![channel], shift: second![channel])
            case .multiply: FloatSIMD.multiply(src, dst, count: count, by: first?[channel] ?? single)
            case .add: FloatSIMD.add(src, dst, count: count, first?[channel] ?? single)
            case .relu: FloatSIMD.relu(src, dst, count: count)
            case .clip: FloatSIMD.clip(src, dst, count: count, low: low, high: high)
            }
        }
    }

    let steps: UnsafeMutableBufferPointer<Step>
    private let constants: UnsafeMutableBufferPointer<Float>

    /// The steps of `ops`, writing nowhere and adding no tensor yet: what `withEpilogue` fills in at each call.
    convenience init(_ ops: [EpilogueOp]) {
        self.init(ops, outputs: Array(repeating: nil, count: ops.count), operands: [])
    }

    /// The steps of `ops`, op k writing `outputs[k]`, the k-th `.addTensor` op adding `operands[k]`.
    init(_ ops: [EpilogueOp], outputs: [UnsafeMutablePointer<Float>?], operands: [UnsafePointer<Float>]) {
        var floats: [Float] = []
        for op in ops {
            switch op {
            case let .affine(scale, shift): floats += scale + shift
            case let .multiply(values), let .add(values): if values.count > 1 { floats += values }
            case .relu, .clip, .addTensor: break
            }
        }
        var operands = operands.makeIterator()
        constants = .allocate(capacity: max(1, floats.count))
        _ = constants.initialize(from: floats)
        steps = .allocate(capacity: ops.count)
        var at = UnsafePointer(constants.baseAddress!)
        func take(_ count: Int) -> UnsafePointer<Float> {
            defer { at += count }
            return at
        }
        for (k, op) in ops.enumerated() {
            var step: Step
            switch op {
            case let .affine(scale, shift):
                step = Step(kind: .affine, first: take(scale.count), second: take(shift.count), output: outputs[k])
            case let .multiply(values):
                step = Step(kind: .multiply, first: values.count > 1 ? take(values.count) : nil, second: nil,
                            single: values.first ?? 0, output: outputs[k])
            case let .add(values):
                step = Step(kind: .add, first: values.count > 1 ? take(values.count) : nil, second: nil,
                            single: values.first ?? 0, output: outputs[k])
            case let .addTensor(_, convFirst):
                step = Step(kind: .addTensor, first: operands.next(), second: nil, output: outputs[k])
                step.convFirst = convFirst
            case .relu:
                step = Step(kind: .relu, first: nil, second: nil, output: outputs[k])
            case let .clip(low, high):
                step = Step(kind: .clip, first: nil, second: nil, low: low ?? -.infinity, high: high ?? .infinity,
                            output: outputs[k])
            }
            step.isLast = k == ops.count - 1
            (steps.baseAddress! + k).initialize(to: step)
        }
    }

    /// Calls `body` with the epilogue of the first `count` steps (at least one), op k writing `outputs[k]` and the
    /// k-th `.addTensor` op adding `operands[k]`. The epilogue lies on the caller's stack: it is valid only inside
    /// `body`, and retains nothing when the kernels copy it.
    func withEpilogue<R>(count: Int, outputs: UnsafePointer<UnsafeMutablePointer<Float>>,
                         operands: UnsafePointer<UnsafePointer<Float>>, _ body: (ConvEpilogue) throws -> R) rethrows -> R {
        precondition(count > 0 && count <= steps.count, "epilogue of \(count) of \(steps.count) steps")
        return try withUnsafeTemporaryAllocation(of: Step.self, capacity: count) { buffer in
            var added = 0
            for k in 0..<count {
                var step = steps[k]
                step.output = outputs[k]
                if step.kind == .addTensor {
                    step.first = operands[added]
                    added += 1
                }
                step.isLast = k == count - 1
                buffer.initializeElement(at: k, to: step)
            }
            return try body(ConvEpilogue(borrowing: UnsafePointer(buffer.baseAddress!), count: count))
        }
    }

    deinit {
        steps.deallocate()
        constants.deallocate()
    }
}

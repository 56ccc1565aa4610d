import Foundation
import StrataCore

/// One value of a conv's fused chain (`ConvKernels.conv(epilogue:)`): computed, or kept as the way to compute it.
enum ConvChainValue: Sendable {
    case tensor(Tensor)
    /// A recording run's value kept as the way to compute it: in the middle of a chain, which only the next op of
    /// the chain reads (the run writes that op's output over it); a last Clip that the chain's readers apply
    /// themselves (`ClipOnRead.swift`) to `readersGet`, the value before it; or a value the run wrote into
    /// `readersGet`, a buffer its readers free again (a chain's last value, a depthwise chain's values).
    case recipe(ConvChainRecipe, readersGet: Tensor? = nil)
}

/// A chain's value computed from an earlier value the run kept: the ops between them applied to it, channel by
/// channel, with the same loops as the conv's epilogue, so it holds the same bits the run would have written.
struct ConvChainRecipe: Sendable {
    /// The last value before this one that the run kept, shaped like the conv output (NC…), or the conv output
    /// computed again when first asked for (`DepthwiseRecipes.swift`).
    let source: LazyTensor
    /// The ops from `source` to this value.
    let ops: [EpilogueOp]
    /// For each `.addTensor` op in `ops`, in order, the tensor it adds.
    let operands: [Tensor]

    init(base: Tensor, ops: [EpilogueOp], operands: [Tensor]) {
        self.init(source: LazyTensor(base), ops: ops, operands: operands)
    }

    init(source: LazyTensor, ops: [EpilogueOp], operands: [Tensor]) {
        self.source = source
        self.ops = ops
        self.operands = operands
    }

    /// The value's statistics, computed a plane at a time in the cache without writing the value: the same as
    /// `TensorStats(compute())`.
    func stats() -> TensorStats {
        guard let base = source.value else { return TensorStats.Accumulator().stats }
        let (batch, channels, plane) = Self.layout(base)
        var accumulator = TensorStats.Accumulator()
        ScratchPool.current.withBuffer(count: plane) { scratch in
            let epilogue = self.epilogue(writing: scratch)
            base.withUnsafeBufferPointer(of: Float.self) { src in
                for p in 0..<(batch * channels) {
                    epilogue.apply(src.baseAddress!, into: scratch, channel: p % channels, offset: p * plane, count: plane)
                    accumulator.add(UnsafeBufferPointer(start: scratch, count: plane))
                }
            }
        }
        withExtendedLifetime(operands) {}
        return accumulator.stats
    }

    /// The value, computed over the cores (nil only where the conv output it starts from cannot be computed again).
    func compute() -> Tensor? {
        guard let base = source.value else { return nil }
        let (batch, channels, plane) = Self.layout(base)
        var out = Tensor.uninitialized(dtype: .float32, shape: base.shape)
        // Every op writes `out`: the first reads `base`, the others the op before them, in place.
        let epilogue = epilogue(writing: out.withMutableFloats { $0.baseAddress! })
        base.withUnsafeBufferPointer(of: Float.self) { src in
            for image in 0..<batch {
                epilogue.applyPlanes(src.baseAddress!, imageOffset: image * channels * plane, plane: plane, channels: channels)
            }
        }
        withExtendedLifetime(operands) {}
        return out
    }

    /// Images, channels, and values a plane of `base`.
    private static func layout(_ base: Tensor) -> (batch: Int, channels: Int, plane: Int) {
        (base.shape[0], base.shape[1], base.count / max(1, base.shape[0] * base.shape[1]))
    }

    /// The ops, every one writing `dst` (the caller keeps `operands` alive while it runs).
    private func epilogue(writing dst: UnsafeMutablePointer<Float>) -> ConvEpilogue {
        let starts = operands.map { t in t.withUnsafeBufferPointer(of: Float.self) { $0.baseAddress! } }
        return ConvEpilogue(ops: ops, outputs: Array(repeating: dst, count: ops.count), operands: starts)
    }
}

/// A tensor given, or computed by the first thread that asks for it, once.
final class LazyTensor: @unchecked Sendable {
    private let lock = NSLock()
    private var compute: (@Sendable () -> Tensor?)?
    private var computed: Tensor?

    init(_ tensor: Tensor) { computed = tensor }

    init(computing: @escaping @Sendable () -> Tensor?) { compute = computing }

    /// Whether the tensor is given or computed already.
    var isComputed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return compute == nil
    }

    /// The tensor (nil when computing it failed).
    var value: Tensor? {
        lock.lock()
        defer { lock.unlock() }
        if let compute {
            computed = compute()
            self.compute = nil
        }
        return computed
    }
}

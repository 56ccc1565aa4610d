import Foundation
import Runtime
import Scene
import StrataCore

/// A snapshot's stored activations as the scene's activation source.
///
/// Statistics come from the runtime's `TensorStats`, computed on first request and cached, exactly as a
/// live run's `TraceActivationSource` computes them, so a scene built from a snapshot equals the live one.
public struct SnapshotActivations: ActivationSource {
    /// Recorded tensors by value name (float32 for floating-point values, whatever was stored).
    public let tensors: [String: Tensor]
    /// Value names in the order the run produced them.
    public let order: [String]
    private let cache = StatsCache()

    public init(tensors: [String: Tensor], order: [String]) {
        self.tensors = tensors
        self.order = order
    }

    public func tensor(named name: String) -> Tensor? { tensors[name] }

    public func stats(named name: String) -> ActivationStats? {
        guard let t = tensors[name] else { return nil }
        let s = cache.stats(for: name) { TensorStats(t) }
        guard s.finiteCount > 0 else { return nil }
        return ActivationStats(min: s.min, max: s.max, mean: s.mean, std: s.std)
    }
}

/// Statistics computed once per name, shared by copies of the source.
private final class StatsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: [String: TensorStats] = [:]

    func stats(for name: String, compute: () -> TensorStats) -> TensorStats {
        if let s = lock.withLock({ cached[name] }) { return s }
        let s = compute()
        lock.withLock { cached[name] = s }
        return s
    }
}

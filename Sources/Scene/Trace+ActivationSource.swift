import Runtime
import StrataCore

/// A run's trace as the scene's activation source; its `TensorStats` become the colormap ranges.
///
/// An adapter rather than a conformance of `Trace` itself, so `Trace.stats(named:)` keeps one meaning.
public struct TraceActivationSource: ActivationSource {
    public let trace: Trace

    public init(_ trace: Trace) { self.trace = trace }

    public func tensor(named name: String) -> Tensor? { trace.tensor(named: name) }

    public func stats(named name: String) -> ActivationStats? {
        guard let s = trace.stats(named: name), s.finiteCount > 0 else { return nil }
        return ActivationStats(min: s.min, max: s.max, mean: s.mean, std: s.std)
    }
}

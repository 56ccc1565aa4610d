import Foundation
import StrataCore

/// Every value one run produced, under its source-model name, with per-node timings.
///
/// Tensors are kept once and share storage with the executor's (no copies); statistics are computed on
/// first request and cached, so recording costs nothing beyond keeping the tensors alive. A `Trace` is an
/// immutable value once the run returns and may be read from any thread.
public struct Trace: Sendable {
    /// Time one node took.
    public struct NodeTiming: Sendable, Equatable, Codable {
        /// Index into `Graph.nodes`.
        public var node: Int
        public var name: String
        public var op: String
        /// Wall-clock seconds of the kernel call.
        public var seconds: Double
    }

    /// Recorded tensors by value name: graph inputs and node outputs (with `record: false`, only the
    /// graph's inputs and outputs).
    public private(set) var values: [String: Tensor] = [:]
    /// Value names in the order they were produced (graph inputs first).
    public private(set) var order: [String] = []
    /// The node (index into `Graph.nodes`) that produced each node output.
    public private(set) var producers: [String: Int] = [:]
    /// One entry per executed node, in execution order.
    public private(set) var timings: [NodeTiming] = []
    private let statsCache = StatsCache()

    public init() {}

    /// The tensor of value `name`, if recorded.
    public func tensor(named name: String) -> Tensor? { values[name] }

    /// Statistics of value `name`, computed once on first request.
    public func stats(named name: String) -> TensorStats? {
        guard let t = values[name] else { return nil }
        return statsCache.stats(for: name) { TensorStats(t) }
    }

    /// The recorded outputs of `layer`, in `layer.outputs` order (missing ones left out).
    public func outputs(of layer: Layer) -> [Tensor] { layer.outputs.compactMap { values[$0] } }

    /// The tensor users see for `layer`: its last recorded output (a Keras layer's value named after it).
    public func output(of layer: Layer) -> Tensor? { layer.outputs.reversed().lazy.compactMap { values[$0] }.first }

    /// Sum of the node timings, in seconds.
    public var totalSeconds: Double { timings.reduce(0) { $0 + $1.seconds } }

    mutating func record(_ name: String, _ tensor: Tensor, producer: Int?) {
        if values.updateValue(tensor, forKey: name) == nil { order.append(name) }
        if let producer { producers[name] = producer }
    }

    mutating func addTiming(_ timing: NodeTiming) { timings.append(timing) }

    /// Makes room for `count` values and timings, so recording does not regrow the tables during a run.
    mutating func reserve(_ count: Int) {
        values.reserveCapacity(count)
        order.reserveCapacity(count)
        producers.reserveCapacity(count)
        timings.reserveCapacity(count)
    }
}

/// Lazily computed statistics, shared by copies of a trace (the tensors never change after the run).
private final class StatsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: [String: TensorStats] = [:]

    func stats(for name: String, compute: () -> TensorStats) -> TensorStats {
        lock.lock()
        if let s = cached[name] {
            lock.unlock()
            return s
        }
        lock.unlock()
        let s = compute()
        lock.lock()
        cached[name] = s
        lock.unlock()
        return s
    }
}

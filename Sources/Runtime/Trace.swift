import Foundation
import StrataCore

/// Every value one run produced, under its source-model name, with per-node timings.
///
/// Tensors are kept once and share storage with the executor's (no copies); statistics are computed on
/// first request and cached, so recording costs nothing beyond keeping the tensors alive. A value the run never
/// wrote is kept as the way to compute it, and computed, with its own kernel's values, on the first request: a
/// zero Pad that its Conv readers applied themselves, a value in the middle of a chain fused onto a Conv (a
/// BatchNormalization before its Relu), a Clip its depthwise readers applied. A `Trace` is an immutable value once
/// the run returns and may be read from any thread.
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

    /// Tensors the run computed, by value name.
    private var values: [String: Tensor] = [:]
    /// Values recorded as the way to compute them (a Pad its Conv readers applied themselves), by value name.
    private var deferred: [String: DeferredValue] = [:]
    /// Recorded value names in the order they were produced (graph inputs first): graph inputs and node
    /// outputs (with `record: false`, only the graph's inputs and outputs).
    public private(set) var order: [String] = []
    /// The node (index into `Graph.nodes`) that produced each node output.
    public private(set) var producers: [String: Int] = [:]
    /// One entry per executed node, in execution order.
    public private(set) var timings: [NodeTiming] = []
    private let statsCache = StatsCache()

    public init() {}

    /// The tensor of value `name`, if recorded (a deferred value is computed on the first request).
    public func tensor(named name: String) -> Tensor? { values[name] ?? deferred[name]?.tensor() }

    /// Whether value `name` is recorded as the way to compute it (the run did not write it).
    func isDeferred(_ name: String) -> Bool { deferred[name] != nil }

    /// Statistics of value `name`, computed once on first request (of a deferred value not computed yet, without
    /// computing it where its recipe can measure itself).
    public func stats(named name: String) -> TensorStats? {
        if values[name] == nil, let measure = deferred[name]?.measureWithoutValue {
            return statsCache.stats(for: name, compute: measure)
        }
        guard let t = tensor(named: name) else { return nil }
        return statsCache.stats(for: name) { TensorStats(t) }
    }

    /// The recorded outputs of `layer`, in `layer.outputs` order (missing ones left out).
    public func outputs(of layer: Layer) -> [Tensor] { layer.outputs.compactMap { tensor(named: $0) } }

    /// The tensor users see for `layer`: its last recorded output (a Keras layer's value named after it).
    public func output(of layer: Layer) -> Tensor? { layer.outputs.reversed().lazy.compactMap { tensor(named: $0) }.first }

    /// Sum of the node timings, in seconds.
    public var totalSeconds: Double { timings.reduce(0) { $0 + $1.seconds } }

    mutating func record(_ name: String, _ tensor: Tensor, producer: Int?) {
        if values.updateValue(tensor, forKey: name) == nil { order.append(name) }
        if let producer { producers[name] = producer }
    }

    /// Records value `name` as `compute`, run on the first request for it (nil: the value cannot be had);
    /// `measure`, if given, gives its statistics without computing it.
    mutating func recordDeferred(_ name: String, producer: Int, compute: @escaping @Sendable () -> Tensor?,
                                 measure: (@Sendable () -> TensorStats)? = nil) {
        if values[name] == nil && deferred.updateValue(DeferredValue(compute, measure: measure), forKey: name) == nil {
            order.append(name)
        }
        producers[name] = producer
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

/// A recorded value kept as the way to compute it, computed once, on the first request, by the thread asking.
private final class DeferredValue: @unchecked Sendable {
    private let lock = NSLock()
    private var compute: (@Sendable () -> Tensor?)?
    private var value: Tensor?
    private let measure: (@Sendable () -> TensorStats)?

    init(_ compute: @escaping @Sendable () -> Tensor?, measure: (@Sendable () -> TensorStats)?) {
        self.compute = compute
        self.measure = measure
    }

    /// The way to the value's statistics without computing it, while it is not computed.
    var measureWithoutValue: (@Sendable () -> TensorStats)? {
        lock.lock()
        defer { lock.unlock() }
        return compute == nil ? nil : measure
    }

    func tensor() -> Tensor? {
        lock.lock()
        defer { lock.unlock() }
        if let compute {
            value = compute()
            self.compute = nil
        }
        return value
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

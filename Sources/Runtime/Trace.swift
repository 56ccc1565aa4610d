import Foundation
import StrataCore

/// Every value one run produced, under its source-model name, with per-node timings.
///
/// Tensors are kept once and share storage with the executor's (no copies); statistics are computed on
/// first request and cached, so recording costs nothing beyond keeping the tensors alive. A value the run never
/// wrote is kept as the way to compute it, and computed, with its own kernel's values, on the first request: a
/// zero Pad that its Conv readers applied themselves, a value in the middle of a chain fused onto a Conv (a
/// BatchNormalization before its Relu) or at its end (a Relu, written where its readers got it and freed after
/// them), a Clip its depthwise readers applied. A `Trace` is an immutable value once
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

    /// The value names of the plan that ran and their slots, shared by all its runs: recording a value stores it
    /// at its slot instead of hashing its name into three tables.
    private let slots: ValueSlots
    /// Tensors the run computed, by slot.
    private var values: [Tensor?]
    /// Values recorded as the way to compute them (a Pad its Conv readers applied themselves), by slot.
    private var deferred: [DeferredValue?]
    /// The node (index into `Graph.nodes`) that produced each slot's value; -1 for none.
    private var producerOf: [Int]
    /// Recorded value names in the order they were produced (graph inputs first): graph inputs and node
    /// outputs (with `record: false`, only the graph's inputs and outputs).
    public private(set) var order: [String] = []
    /// Node and seconds of each executed node: the names come from `slots` when asked for, so that a run does not
    /// retain and release two strings a node.
    private var nodeTimes: [(node: Int, seconds: Double)] = []
    /// One entry per executed node, in execution order.
    public var timings: [NodeTiming] {
        nodeTimes.map { NodeTiming(node: $0.node, name: slots.nodeNames[$0.node], op: slots.nodeOps[$0.node],
                                   seconds: $0.seconds) }
    }
    private let statsCache = StatsCache()
    /// Whether the run kept its kernels on one core (`CoreChoice`), not spread over the machine's.
    public internal(set) var ranOnOneCore = false

    /// An empty trace.
    public init() { self.init(slots: ValueSlots(names: [], slot: [:])) }

    /// An empty trace for the values named by `slots`.
    init(slots: ValueSlots) {
        self.slots = slots
        values = Array(repeating: nil, count: slots.names.count)
        deferred = Array(repeating: nil, count: slots.names.count)
        producerOf = Array(repeating: -1, count: slots.names.count)
    }

    /// The tensor of value `name`, if recorded (a deferred value is computed on the first request).
    public func tensor(named name: String) -> Tensor? {
        guard let s = slots.slot[name] else { return nil }
        return values[s] ?? deferred[s]?.tensor()
    }

    /// Whether value `name` is recorded as the way to compute it (the run did not write it).
    func isDeferred(_ name: String) -> Bool { slots.slot[name].map { deferred[$0] != nil } ?? false }

    /// Statistics of value `name`, computed once on first request (of a deferred value not computed yet, without
    /// computing it where its recipe can measure itself).
    public func stats(named name: String) -> TensorStats? {
        if let s = slots.slot[name], values[s] == nil, let measure = deferred[s]?.measureWithoutValue {
            return statsCache.stats(for: name, compute: measure)
        }
        guard let t = tensor(named: name) else { return nil }
        return statsCache.stats(for: name) { TensorStats(t) }
    }

    /// The node (index into `Graph.nodes`) that produced value `name`; nil for a graph input or a value not
    /// recorded.
    public func producer(of name: String) -> Int? {
        guard let s = slots.slot[name], producerOf[s] >= 0 else { return nil }
        return producerOf[s]
    }

    /// The node (index into `Graph.nodes`) that produced each recorded node output, built on each access
    /// (`producer(of:)` looks up one).
    public var producers: [String: Int] {
        var all: [String: Int] = [:]
        for name in order { if let p = producer(of: name) { all[name] = p } }
        return all
    }

    /// The recorded outputs of `layer`, in `layer.outputs` order (missing ones left out).
    public func outputs(of layer: Layer) -> [Tensor] { layer.outputs.compactMap { tensor(named: $0) } }

    /// The tensor users see for `layer`: its last recorded output (a Keras layer's value named after it).
    public func output(of layer: Layer) -> Tensor? { layer.outputs.reversed().lazy.compactMap { tensor(named: $0) }.first }

    /// Sum of the node timings, in seconds.
    public var totalSeconds: Double { nodeTimes.reduce(0) { $0 + $1.seconds } }

    /// Records the value of slot `slot`.
    mutating func record(slot: Int, _ tensor: Tensor, producer: Int?) {
        if values[slot] == nil { order.append(slots.names[slot]) }
        values[slot] = tensor
        if let producer { producerOf[slot] = producer }
    }

    /// Records the value of slot `slot` as `compute`, run on the first request for it (nil: the value cannot be
    /// had); `measure`, if given, gives its statistics without computing it.
    mutating func recordDeferred(slot: Int, producer: Int, compute: @escaping @Sendable () -> Tensor?,
                                 measure: (@Sendable () -> TensorStats)? = nil) {
        producerOf[slot] = producer
        guard values[slot] == nil else { return }
        if deferred[slot] == nil { order.append(slots.names[slot]) }
        deferred[slot] = DeferredValue(compute, measure: measure)
    }

    /// Records that node `node` (an index into `Graph.nodes`) took `seconds`.
    mutating func addTiming(node: Int, seconds: Double) { nodeTimes.append((node, seconds)) }

    /// Makes room for `count` names in `order` and as many timings, so recording does not regrow them during a run.
    mutating func reserve(_ count: Int) {
        order.reserveCapacity(count)
        nodeTimes.reserveCapacity(count)
    }
}

/// The value names of a plan, by slot, and the slot of each name; and the name and op of each graph node.
final class ValueSlots: Sendable {
    let names: [String]
    let slot: [String: Int]
    /// By index into `Graph.nodes`.
    let nodeNames: [String], nodeOps: [String]

    /// `slot[names[s]] == s` for every slot `s`.
    init(names: [String], slot: [String: Int], nodes: [Node] = []) {
        self.names = names
        self.slot = slot
        nodeNames = nodes.map(\.name)
        nodeOps = nodes.map(\.opType)
    }
}

/// A recorded value kept as the way to compute it, computed once, on the first request, by the thread asking.
private final class DeferredValue: Sendable {
    private let value: LazyTensor
    private let measure: (@Sendable () -> TensorStats)?

    init(_ compute: @escaping @Sendable () -> Tensor?, measure: (@Sendable () -> TensorStats)?) {
        value = LazyTensor(computing: compute)
        self.measure = measure
    }

    /// The way to the value's statistics without computing it, while it is not computed.
    var measureWithoutValue: (@Sendable () -> TensorStats)? { value.isComputed ? nil : measure }

    func tensor() -> Tensor? { value.value }
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

import Dispatch
import Foundation
import StrataCore

/// The error a run ends with, carrying everything computed before it: `trace` holds the graph inputs and the
/// outputs of every node that ran. `description` is the underlying error's one-line message.
public struct RunFailure: Error, CustomStringConvertible {
    /// Why the run stopped (`.unsupportedOperator` for a node without a kernel).
    public var error: RuntimeError
    /// What was computed before the failing node.
    public var trace: Trace
    /// Index into `Graph.nodes` of the node the run stopped at, if it stopped at one.
    public var node: Int?

    public var description: String { error.description }
}

/// Runs a model's graph on the CPU, node by node in topological order.
public enum Executor {
    /// Runs `model` on `inputs` (one tensor per graph input that is not an initializer).
    ///
    /// - Parameters:
    ///   - record: keep every intermediate value in the trace; when false, each intermediate is freed after its
    ///     last use and the trace holds only the graph inputs and outputs.
    ///   - onNode: called after each node with the node, its position in execution order and the node count.
    ///   - isCancelled: checked before each node; when it returns true the run stops with `.cancelled`.
    /// - Returns: the trace of the run.
    /// - Throws: `GraphError` when the graph has no valid order, `RunFailure` (with the partial trace) for
    ///   everything else: a missing or ill-fitting input, an unsupported operator, a kernel error, cancellation.
    ///   Setting the environment variable `STRATA_TRACE=1` prints each node's op, shapes and time to stderr.
    public static func run(_ model: Model, inputs: [String: Tensor], record: Bool = true,
                           onNode: ((Node, Int, Int) -> Void)? = nil, isCancelled: (() -> Bool)? = nil) throws -> Trace {
        let graph = model.graph
        let order = try graph.topologicalOrder()
        var trace = Trace()
        var env = graph.initializers
        for input in graph.inputs where graph.initializers[input.name] == nil {
            guard let t = inputs[input.name] else {
                throw RunFailure(error: .badModelInput(name: input.name, problem: "no tensor given"), trace: trace)
            }
            if let problem = mismatch(t, input.type) {
                throw RunFailure(error: .badModelInput(name: input.name, problem: problem), trace: trace)
            }
            env[input.name] = t
            trace.record(input.name, t, producer: nil)
        }
        let keep = Set(graph.outputs.map(\.name)).union(graph.inputs.map(\.name))
        let lastUse = record ? [:] : lastUses(graph, order)
        let verbose = ProcessInfo.processInfo.environment["STRATA_TRACE"].map { $0 != "" && $0 != "0" } ?? false
        for (step, index) in order.enumerated() {
            let node = graph.nodes[index]
            if isCancelled?() == true { throw RunFailure(error: .cancelled, trace: trace, node: index) }
            let timing = try execute(node, index: index, graph: graph, env: &env, trace: &trace)
            trace.addTiming(timing)
            if verbose { log(node, timing, env) }
            onNode?(node, step, order.count)
            if !record {
                for name in node.inputs + node.outputs where !keep.contains(name) && (lastUse[name] ?? -1) <= step {
                    if graph.initializers[name] == nil { env[name] = nil }
                }
            }
        }
        if !record { trace.keepOnly(keep) }
        return trace
    }

    /// Runs one node, storing its outputs in `env` and `trace`.
    private static func execute(_ node: Node, index: Int, graph: Graph, env: inout [String: Tensor],
                                trace: inout Trace) throws -> Trace.NodeTiming {
        guard let kernel = KernelRegistry.kernel(for: node) else {
            throw RunFailure(error: .unsupportedOperator(node: node.name, op: node.opType), trace: trace, node: index)
        }
        var args: [Tensor?] = []
        for name in node.inputs {
            if name.isEmpty { args.append(nil); continue }
            guard let t = env[name] else {
                let error = RuntimeError.invalidInput(node: node.name, op: node.opType, problem: "input '\(name)' has no value")
                throw RunFailure(error: error, trace: trace, node: index)
            }
            args.append(t)
        }
        let context = KernelContext(opset: graph.opsets[node.domain] ?? graph.opset)
        let start = DispatchTime.now().uptimeNanoseconds
        let results: [Tensor]
        do {
            results = try kernel(node, args, context)
        } catch let error as RuntimeError {
            throw RunFailure(error: error, trace: trace, node: index)
        } catch {
            throw RunFailure(error: node.invalid("\(error)"), trace: trace, node: index)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for (k, name) in node.outputs.enumerated() where !name.isEmpty {
            guard k < results.count else {
                throw RunFailure(error: node.invalid("produced \(results.count) outputs, the graph wants \(node.outputs.count)"),
                                 trace: trace, node: index)
            }
            env[name] = results[k]
            trace.record(name, results[k], producer: index)
        }
        return Trace.NodeTiming(node: index, name: node.name, op: node.opType, seconds: seconds)
    }

    /// For each value read by a node, the last step (position in `order`) that reads it.
    private static func lastUses(_ graph: Graph, _ order: [Int]) -> [String: Int] {
        var last: [String: Int] = [:]
        for (step, index) in order.enumerated() {
            for name in graph.nodes[index].inputs where !name.isEmpty { last[name] = step }
        }
        return last
    }

    /// Why `t` cannot be fed to an input of type `type`, or nil when it fits.
    static func mismatch(_ t: Tensor, _ type: TensorType) -> String? {
        if let dtype = type.dtype, dtype != t.dtype { return "got \(t.dtype), the model wants \(dtype)" }
        guard let dims = type.shape else { return nil }
        let fits = dims.count == t.rank && zip(dims, t.shape).allSatisfy { d, n in d.intValue.map { $0 == n } ?? true }
        return fits ? nil : "got shape \(t.shape), the model wants [\(dims.map(\.description).joined(separator: ", "))]"
    }

    private static func log(_ node: Node, _ timing: Trace.NodeTiming, _ env: [String: Tensor]) {
        let ins = node.inputs.map { $0.isEmpty ? "-" : env[$0].map { "\($0.shape)" } ?? "?" }.joined(separator: " ")
        let outs = node.outputs.map { env[$0].map { "\($0.shape)" } ?? "-" }.joined(separator: " ")
        let ms = String(format: "%.3f", timing.seconds * 1000)
        FileHandle.standardError.write(Data("strata: \(node.opType) '\(node.name)' \(ins) -> \(outs) \(ms) ms\n".utf8))
    }
}

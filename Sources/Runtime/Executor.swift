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
    /// Runs `model` on `inputs` (one tensor per graph input that is not an initializer). Prepares the model
    /// first; to run one model many times, prepare it once with `ExecutionPlan(model)` and use
    /// `run(_ plan:...)`.
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
        try run(ExecutionPlan(model), inputs: inputs, record: record, onNode: onNode, isCancelled: isCancelled)
    }

    /// Runs a prepared model; the same contract as `run(_ model:...)`. Nodes the plan computed once (all inputs
    /// constant) are recorded with their stored outputs and a time of 0. The run spreads its kernels over the
    /// cores or keeps them on the calling thread, whichever the plan's last runs found faster (`CoreChoice`): the
    /// values are the same either way.
    public static func run(_ plan: ExecutionPlan, inputs: [String: Tensor], record: Bool = true,
                           onNode: ((Node, Int, Int) -> Void)? = nil, isCancelled: (() -> Bool)? = nil) throws -> Trace {
        let way = plan.cores.next(record: record)
        // The workers would spin through a run chosen to keep away from them, on the core it may share.
        if way == .alone(timing: false) { WorkerPool.shared.rest() }
        let alone = way != .spread
        let start = DispatchTime.now().uptimeNanoseconds
        var trace = try alone
            ? ParallelFor.alone { try runSteps(plan, inputs: inputs, record: record, onNode: onNode, isCancelled: isCancelled) }
            : runSteps(plan, inputs: inputs, record: record, onNode: onNode, isCancelled: isCancelled)
        plan.cores.ran(record: record, alone: alone, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        trace.ranOnOneCore = alone || ParallelFor.width == 1
        return trace
    }

    /// Runs the plan's steps in order: `run(_ plan:...)` without the choice of cores.
    private static func runSteps(_ plan: ExecutionPlan, inputs: [String: Tensor], record: Bool,
                              onNode: ((Node, Int, Int) -> Void)?, isCancelled: (() -> Bool)?) throws -> Trace {
        let graph = plan.model.graph
        var trace = Trace(slots: plan.valueSlots)
        trace.reserve(record ? plan.names.count : plan.feeds.count + graph.outputs.count)
        var env = RunValues(constants: plan.constants)
        for (slot, input) in plan.feeds {
            guard let t = inputs[input.name] else {
                throw RunFailure(error: .badModelInput(name: input.name, problem: "no tensor given"), trace: trace)
            }
            if let problem = mismatch(t, input.type) {
                throw RunFailure(error: .badModelInput(name: input.name, problem: problem), trace: trace)
            }
            env[slot] = t
            trace.record(slot: slot, t, producer: nil)
        }
        let kept = record ? nil : plan.outputSlots
        var ahead = [ConvChainValue?](repeating: nil, count: plan.names.count)
        let steps = plan.steps
        // Steps and nodes are read where they lie, not copied: a copy retains every array and object they hold,
        // on lines the kernels have pushed out of the cache (resnet_small's plain runs took 0.99 of the time).
        for position in steps.indices {
            let index = steps[position].node
            if isCancelled?() == true { throw RunFailure(error: .cancelled, trace: trace, node: index) }
            let seconds = try execute(steps[position], graph.nodes[index], env: &env, ahead: &ahead, trace: &trace,
                                      kept: kept)
            trace.addTiming(node: index, seconds: seconds)
            if verbose { log(graph.nodes[index], seconds, steps[position], env) }
            onNode?(graph.nodes[index], position, steps.count)
            for s in steps[position].release { env[s] = nil }
        }
        return trace
    }

    /// Threads a run's kernels use: the CPUs the process may run on, at most 8.
    public static var threads: Int { ParallelFor.width }

    private static let verbose = ProcessInfo.processInfo.environment["STRATA_TRACE"].map { $0 != "" && $0 != "0" } ?? false

    /// Runs one step, storing its outputs in `env` and (all of them, or the slots `kept` marks) in `trace`; returns
    /// the seconds its kernel took (0 for a step that computed nothing: folded, computed ahead, left to readers).
    /// `ahead` holds outputs an earlier fused step already computed (a Relu after a BatchNormalization, a Conv's
    /// epilogue), by slot: a recipe is recorded as the way to compute the value (nothing but the chain reads it).
    private static func execute(_ step: ExecutionPlan.Step, _ node: Node, env: inout RunValues,
                                ahead: inout [ConvChainValue?], trace: inout Trace,
                                kept: [Bool]?) throws -> Double {
        var seconds = 0.0
        let results: [Tensor]
        var computedAgain: LazyTensor?  // the conv output, recorded as the conv to run again
        if step.paddedByReaders {
            if kept == nil, let out = step.outputs.first, let kernel = step.kernel {
                let args = try arguments(step, node, env: env, trace: trace)
                let (context, clip) = (step.context, step.clipOnRead)
                trace.recordDeferred(slot: out, producer: step.node) {
                    // The value before a Clip left to the readers (`ClipOnRead.swift`): clipped here, when asked for.
                    guard let clip else { return try? kernel(node, args, context).first }
                    guard clip.low <= 0 && clip.high >= 0 else {
                        return try? kernel(node, [args[0].map(clip.applied)] + args.dropFirst(), context).first
                    }
                    // Bounds that keep the zero padding: the padded tensor clamped where it lies.
                    guard var padded = try? kernel(node, args, context).first, padded.dtype == .float32 else { return nil }
                    padded.withMutableFloats { clip.apply($0.baseAddress!, $0.baseAddress!, count: $0.count) }
                    return padded
                }
            }
            return 0
        } else if let folded = step.folded {
            results = folded
        } else if let out = step.outputs.first, out >= 0, let computed = ahead[out] {
            ahead[out] = nil
            switch computed {
            case let .tensor(t):
                results = [t]
            case let .recipe(recipe, readersGet):
                if let readersGet { env[out] = readersGet }
                trace.recordDeferred(slot: out, producer: step.node, compute: { recipe.compute() },
                                     measure: { recipe.stats() })
                return 0
            }
        } else {
            guard let kernel = step.kernel else {
                throw RunFailure(error: .unsupportedOperator(node: node.name, op: node.opType), trace: trace, node: step.node)
            }
            let args = try arguments(step, node, env: env, trace: trace)
            let node = step.runNode ?? node
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                if let reluSlot = step.fusedRelu {
                    let fused = try NormalizationKernels.batchNormalization(node, args, step.context, relu: true)
                    results = fused.outputs
                    if let relu = fused.relu { ahead[reluSlot] = .tensor(relu) }
                } else if !step.epilogue.isEmpty || step.packedWeights != nil || (kept == nil && step.clipOnRead != nil) {
                    let record = kept == nil
                    // A recording run leaves a last Clip to the readers (`ClipOnRead.swift`).
                    let leave = record && step.clipByReaders
                    let chain = leave ? step.epilogue.dropLast() : step.epilogue[...]
                    // A depthwise chain recorded as recipes runs as in a run that does not record.
                    let again = record && step.recordedAsRecipes
                    let fused = try ConvKernels.conv(node, args, epilogue: chain, steps: step.epilogueSteps,
                                                     inPlace: step.epilogueInPlace, record: record && !again,
                                                     operand: { env[$0] }, packed: step.packedWeights,
                                                     inputClip: record ? step.clipOnRead : nil, sizes: step.convSizes)
                    guard case let .tensor(conv) = fused[0] else { preconditionFailure("a conv output is always computed") }
                    results = [conv]
                    if again {
                        let clip = step.clipOnRead
                        let source = LazyTensor { try? ConvKernels.conv(node, args, inputClip: clip) }
                        computedAgain = source
                        let values = ConvChainRecipe.depthwiseChain(from: source, ops: Array(chain),
                                                                    written: Array(fused.dropFirst()))
                        for (slot, t) in zip(step.epilogueOutputs, values) { ahead[slot] = t }
                    } else {
                        for k in 1..<fused.count { ahead[step.epilogueOutputs[k - 1]] = fused[k] }
                    }
                    if leave, fused.count == step.epilogue.count, case let .tensor(before)? = fused.last,
                       let clip = step.epilogue.last, let out = step.epilogueOutputs.last {
                        ahead[out] = .recipe(ConvChainRecipe(base: before, ops: [clip], operands: []), readersGet: before)
                    }
                } else {
                    results = try kernel(node, args, step.context)
                }
            } catch let error as RuntimeError {
                throw RunFailure(error: error, trace: trace, node: step.node)
            } catch {
                throw RunFailure(error: node.invalid("\(error)"), trace: trace, node: step.node)
            }
            seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        for (k, s) in step.outputs.enumerated() where s >= 0 {
            guard k < results.count else {
                throw RunFailure(error: node.invalid("produced \(results.count) outputs, the graph wants \(node.outputs.count)"),
                                 trace: trace, node: step.node)
            }
            env[s] = results[k]
            if k == 0, let computedAgain {
                trace.recordDeferred(slot: s, producer: step.node, compute: { computedAgain.value })
            } else if kept?[s] ?? true {
                trace.record(slot: s, results[k], producer: step.node)
            }
        }
        return seconds
    }

    /// The step's input tensors from `env` (nil for an omitted optional input).
    private static func arguments(_ step: ExecutionPlan.Step, _ node: Node, env: RunValues, trace: Trace) throws -> [Tensor?] {
        var args: [Tensor?] = []
        args.reserveCapacity(step.inputs.count)
        for (k, s) in step.inputs.enumerated() {
            if s < 0 { args.append(nil); continue }
            guard let t = env[s] else {
                let error = RuntimeError.invalidInput(node: node.name, op: node.opType,
                                                      problem: "input '\(node.inputs[k])' has no value")
                throw RunFailure(error: error, trace: trace, node: step.node)
            }
            args.append(t)
        }
        return args
    }

    /// Why `t` cannot be fed to an input of type `type`, or nil when it fits.
    static func mismatch(_ t: Tensor, _ type: TensorType) -> String? {
        if let dtype = type.dtype, dtype != t.dtype { return "got \(t.dtype), the model wants \(dtype)" }
        guard let dims = type.shape else { return nil }
        let fits = dims.count == t.rank && zip(dims, t.shape).allSatisfy { d, n in d.intValue.map { $0 == n } ?? true }
        return fits ? nil : "got shape \(t.shape), the model wants [\(dims.map(\.description).joined(separator: ", "))]"
    }

    private static func log(_ node: Node, _ seconds: Double, _ step: ExecutionPlan.Step, _ env: RunValues) {
        func shape(_ s: Int) -> String { s < 0 ? "-" : env[s].map { "\($0.shape)" } ?? "?" }
        let ins = step.inputs.map(shape).joined(separator: " ")
        let outs = step.outputs.map(shape).joined(separator: " ")
        let ms = String(format: "%.4f", seconds * 1000)
        FileHandle.standardError.write(Data("strata: \(node.opType) '\(node.name)' \(ins) -> \(outs) \(ms) ms\n".utf8))
    }
}

import Dispatch
import StrataCore

/// A model prepared for running many times: the execution order, each node's kernel and input/output slots
/// resolved once, and the values that depend on no graph input (initializers, and the outputs of nodes whose
/// inputs are all constant, such as `ConstantOfShape` weights) computed once.
///
/// Running a plan records exactly the values an unprepared run records: a folded node's outputs are the
/// same tensors every run (shared, never copied), and the node still appears in the trace and in `onNode`.
/// Build one with `ExecutionPlan(model)` and pass it to `Executor.run(_:inputs:record:onNode:isCancelled:)`.
public final class ExecutionPlan: @unchecked Sendable {
    /// One node in execution order. A class: a run hands each step to `Executor.execute`, and a struct of this
    /// many arrays and references was retained and released there field by field (a chain of 50 Relu nodes took
    /// 29.6 µs as a struct, 28.4 as a class; minimums).
    final class Step {
        /// Index into `Graph.nodes`.
        var node: Int
        /// nil when Strata has no kernel for the node (the run stops there).
        var kernel: Kernel?
        /// Slot of each input, -1 for an omitted optional input.
        var inputs: [Int]
        /// Slot of each output, -1 for an omitted optional output.
        var outputs: [Int]
        var context: KernelContext
        /// The outputs computed while planning (every input constant), reused by every run.
        var folded: [Tensor]?
        /// Slots no later step reads, freed after this step.
        var release: [Int]
        /// For a BatchNormalization read by a Relu: the Relu's output slot, computed in the same pass.
        var fusedRelu: Int? = nil
        /// For a Conv: the elementwise nodes computed on its output blocks (`ConvFusion.swift`), and their output slots.
        var epilogue: [EpilogueOp] = []
        var epilogueOutputs: [Int] = []
        /// For each epilogue op: whether it writes its output over the value it reads (the conv output, or the
        /// previous op's), which no other step reads and the graph does not output; a recording run writes the conv
        /// output into a tensor of its own and keeps the values written over as recipes.
        var epilogueInPlace: [Bool] = []
        /// The epilogue's ops with their constants, built once (`EpilogueSteps`).
        var epilogueSteps: EpilogueSteps? = nil
        /// For a depthwise Conv whose whole epilogue writes in place over its output and adds no other tensor: a
        /// recording run computes it as a run that does not record does, and keeps all its values as the conv to run
        /// again and the ops after it (`DepthwiseRecipes.swift`).
        var recordedAsRecipes = false
        /// For a Conv whose epilogue ends with a Clip that every reader can apply as it reads (`ClipOnRead.swift`):
        /// a recording run leaves it to them.
        var clipByReaders = false
        /// For a depthwise Conv, or a Pad its readers apply, reading such a Clip's output: its bounds, which a
        /// recording run applies to the value before the Clip, what it hands this step instead.
        var clipOnRead: ClipBounds? = nil
        /// For a Conv with constant weights, where the AVX2 kernels run: its weights, packed once.
        var packedWeights: PackedWeights? = nil
        /// For such a Conv: the sizes its last call worked out, for the next call with an input of that shape.
        var convSizes: ConvSizesCache? = nil
        /// An earlier step computes this step's output (a Conv's epilogue); the run takes it from there.
        var computedAhead = false
        /// A Pad its readers apply as their own padding (`PadFusion.swift`): not run; a recording run records
        /// its output as the way to compute it.
        var paddedByReaders = false
        /// The node the kernel runs, when it differs from the graph's (a Conv with a fused Pad's padding added).
        var runNode: Node? = nil

        init(node: Int, kernel: Kernel?, inputs: [Int], outputs: [Int], context: KernelContext, folded: [Tensor]?,
             release: [Int]) {
            (self.node, self.kernel, self.inputs, self.outputs) = (node, kernel, inputs, outputs)
            (self.context, self.folded, self.release) = (context, folded, release)
        }
    }

    /// The model this plan runs.
    public let model: Model
    let steps: [Step]
    /// Value name of each slot, and the slot of each name: what the traces of this plan's runs find values by (and
    /// their nodes' names).
    let valueSlots: ValueSlots
    /// Value name of each slot.
    var names: [String] { valueSlots.names }
    /// Slot of each value name.
    var slots: [String: Int] { valueSlots.slot }
    /// Initializer values by slot (nil for values computed by the run).
    let constants: [Tensor?]
    /// Graph inputs the caller feeds: slot and declared type.
    let feeds: [(slot: Int, info: ValueInfo)]
    /// By slot: whether the value is a graph output (what a run that does not record keeps in its trace).
    let outputSlots: [Bool]
    /// Whether runs spread their loops over the cores (`CoreChoice`).
    let cores = CoreChoice()

    /// Prepares `model`. Throws `GraphError` when the graph has no valid order. A node that cannot be folded
    /// (no kernel, or its kernel fails on the constant inputs) is left for the run, which reports it there.
    public init(_ model: Model) throws {
        // Before any run: OpenBLAS's threads would spin against the run's own for its first tenth of a second.
        OpenBLASThreads.stop()
        let graph = model.graph
        let order = try graph.topologicalOrder()
        var slots: [String: Int] = [:]
        var names: [String] = []
        func slot(_ name: String) -> Int {
            if name.isEmpty { return -1 }
            if let s = slots[name] { return s }
            slots[name] = names.count
            names.append(name)
            return names.count - 1
        }
        var feeds: [(Int, ValueInfo)] = []
        for input in graph.inputs where graph.initializers[input.name] == nil { feeds.append((slot(input.name), input)) }
        var constants: [Int: Tensor] = [:]
        for (name, t) in graph.initializers { constants[slot(name)] = t }
        var steps: [Step] = []
        for index in order {
            let node = graph.nodes[index]
            let context = KernelContext(opset: graph.opsets[node.domain] ?? graph.opset)
            let step = Step(node: index, kernel: KernelRegistry.kernel(for: node), inputs: node.inputs.map(slot),
                            outputs: node.outputs.map(slot), context: context, folded: nil, release: [])
            step.folded = Self.fold(step, node, constants)
            if let folded = step.folded {
                for (k, s) in step.outputs.enumerated() where s >= 0 { constants[s] = folded[k] }
            }
            steps.append(step)
        }
        let outputNames = Set(graph.outputs.map(\.name))
        let outputSlots = names.map { outputNames.contains($0) }
        Self.fusePadsIntoConvs(&steps, graph, constants: constants, outputSlots: outputSlots)
        Self.fuseConvEpilogues(&steps, graph, constants: constants, outputSlots: outputSlots)
        Self.leaveClipsToReaders(&steps, graph, constants: constants, outputSlots: outputSlots)
        Self.recordDepthwiseChainsAsRecipes(&steps, graph, constants: constants)
        Self.pairBatchNormWithRelu(&steps, graph)
        Self.packConvWeights(&steps, graph, constants: constants)
        let keep = Set(graph.outputs.map(\.name) + graph.inputs.map(\.name)).compactMap { slots[$0] }
        self.steps = Self.releases(steps, keep: Set(keep).union(constants.keys), slotCount: names.count)
        self.model = model
        valueSlots = ValueSlots(names: names, slot: slots, nodes: graph.nodes)
        self.feeds = feeds
        self.outputSlots = outputSlots
        self.constants = (0..<names.count).map { s in graph.initializers[names[s]] != nil ? constants[s] : nil }
    }

    /// The node's outputs when every input is constant and its kernel runs on them, else nil.
    private static func fold(_ step: Step, _ node: Node, _ constants: [Int: Tensor]) -> [Tensor]? {
        guard let kernel = step.kernel, !nondeterministic.contains(node.opType) else { return nil }
        var args: [Tensor?] = []
        for s in step.inputs {
            if s < 0 { args.append(nil); continue }
            guard let t = constants[s] else { return nil }
            args.append(t)
        }
        guard let results = try? kernel(node, args, step.context), results.count >= step.outputs.count else { return nil }
        return results
    }

    /// Marks each BatchNormalization whose output a Relu reads, so the run computes both in one pass over the
    /// data (ResNets: the normalised value is still recorded, the Relu reads it from the cache, not memory).
    private static func pairBatchNormWithRelu(_ steps: inout [Step], _ graph: Graph) {
        var normalized: [Int: Int] = [:]  // BatchNormalization output slot → its step
        for i in steps.indices where steps[i].folded == nil && steps[i].kernel != nil && !steps[i].computedAhead {
            let node = graph.nodes[steps[i].node]
            guard node.domain.isEmpty || node.domain == "ai.onnx" else { continue }
            if node.opType == "BatchNormalization", let out = steps[i].outputs.first, out >= 0 {
                normalized[out] = i
            } else if node.opType == "Relu", steps[i].inputs.count == 1, let bn = normalized[steps[i].inputs[0]],
                      steps[bn].fusedRelu == nil, let out = steps[i].outputs.first, out >= 0 {
                steps[bn].fusedRelu = out
            }
        }
    }

    /// Operators whose output differs between runs: never folded.
    static let nondeterministic: Set<String> = [
        "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli",
    ]

    /// Fills each step's `release`: the slots whose last reader it is, except `keep`.
    private static func releases(_ steps: [Step], keep: Set<Int>, slotCount: Int) -> [Step] {
        var last = [Int](repeating: -1, count: slotCount)
        for (i, step) in steps.enumerated() {
            for s in step.inputs + step.outputs where s >= 0 { last[s] = i }
        }
        for s in 0..<slotCount where last[s] >= 0 && !keep.contains(s) { steps[last[s]].release.append(s) }
        return steps
    }

    /// Number of nodes computed once while planning, because all their inputs are constant.
    public var foldedNodeCount: Int { steps.reduce(0) { $0 + ($1.folded == nil ? 0 : 1) } }
}

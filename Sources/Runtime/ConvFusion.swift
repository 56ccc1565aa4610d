import StrataCore

/// Chaining elementwise nodes onto the Conv before them (Conv → BatchNormalization → Relu, and a residual block's
/// Add of its shortcut → Relu, in ResNets; Conv → Clip and depthwise Conv → Mul → Clip in MobileNets): the Conv
/// kernel computes them on each block of its output while the block is in the cache, instead of each node reading
/// the whole previous tensor back from memory.
///
/// Every node keeps its own output tensor, recorded under its own name, with the values its own kernel gives on
/// the recorded conv output: only the time they are computed changes. An op whose input no other step reads and
/// the graph does not output writes over it, so a run that does not record writes one tensor per chain instead of
/// one per node; a recording run writes the conv output and one more tensor, and keeps the values it overwrites,
/// and the last one where no shortcut is added, as the ops that compute them (`ConvChainRecipe`).
extension ExecutionPlan {
    /// Longest chain of nodes fused onto one Conv (`ConvKernels.conv(epilogue:)` holds that many on its stack).
    static let maxEpilogue = 4

    /// Fills `epilogue` of each Conv step with the nodes that follow it and marks those nodes `computedAhead`;
    /// `outputSlots` marks the graph outputs (`ExecutionPlan.outputSlots`).
    static func fuseConvEpilogues(_ steps: inout [Step], _ graph: Graph, constants: [Int: Tensor], outputSlots: [Bool]) {
        var readers: [Int: [Int]] = [:]  // slot → the steps that read it, in execution order
        var readerCount: [Int: Int] = [:]  // slot → how many steps read it, kernel or not
        for i in steps.indices {
            for s in Set(steps[i].inputs) where s >= 0 {
                readerCount[s, default: 0] += 1
                if steps[i].folded == nil && steps[i].kernel != nil { readers[s, default: []].append(i) }
            }
        }
        var producer: [Int: Int] = [:]  // slot → the step that computes it
        for i in steps.indices { for s in steps[i].outputs where s >= 0 { producer[s] = i } }
        for i in steps.indices where steps[i].folded == nil && steps[i].kernel != nil {
            let node = graph.nodes[steps[i].node]
            guard isDefaultDomain(node), node.opType == "Conv", steps[i].outputs.count == 1,
                  var current = steps[i].outputs.first, current >= 0, steps[i].inputs.count >= 2,
                  steps[i].inputs[1] >= 0, let weight = constants[steps[i].inputs[1]],
                  weight.dtype == .float32, weight.rank >= 3 else { continue }
            // A shortcut the sum adds must be computed before the conv runs: a graph input, or an earlier step's.
            let ready = { (s: Int) in producer[s].map { $0 < i } ?? true }
            var ops: [EpilogueOp] = [], outputs: [Int] = [], inPlace: [Bool] = []
            while ops.count < maxEpilogue {
                var next: (Int, EpilogueOp)?
                for j in readers[current, default: []] where !steps[j].computedAhead {
                    if let op = epilogueOp(steps[j], graph.nodes[steps[j].node], data: current, constants: constants,
                                           channels: weight.shape[0], rank: weight.rank, ready: ready) {
                        next = (j, op)
                        break
                    }
                }
                guard let (j, op) = next else { break }
                steps[j].computedAhead = true
                ops.append(op)
                inPlace.append(readerCount[current] == 1 && !outputSlots[current])
                current = steps[j].outputs[0]
                outputs.append(current)
            }
            steps[i].epilogue = ops
            steps[i].epilogueOutputs = outputs
            steps[i].epilogueInPlace = inPlace
            steps[i].epilogueSteps = ops.isEmpty ? nil : EpilogueSteps(ops)
        }
    }

    static func isDefaultDomain(_ node: Node) -> Bool { node.domain.isEmpty || node.domain == "ai.onnx" }

    /// The op computing `step` from the conv-shaped float32 value in slot `data` (rank `rank`, `channels` channels),
    /// when its other inputs are constant and its result is shaped like `data`, or when it adds a value that
    /// `ready` says exists before the conv runs (checked against the conv output's shape at each run); nil
    /// otherwise.
    static func epilogueOp(_ step: Step, _ node: Node, data: Int, constants: [Int: Tensor], channels: Int,
                           rank: Int, ready: (Int) -> Bool) -> EpilogueOp? {
        guard isDefaultDomain(node), step.outputs.count == 1, step.outputs[0] >= 0, step.kernel != nil else { return nil }
        if node.opType == "Add" || node.opType == "Sum", step.inputs.count == 2, step.inputs.filter({ $0 == data }).count == 1,
           let other = step.inputs.first(where: { $0 != data }), other >= 0, constants[other] == nil, ready(other) {
            return .addTensor(slot: other, first: step.inputs[0] == data)
        }
        guard step.inputs.allSatisfy({ $0 < 0 || $0 == data || constants[$0] != nil }) else { return nil }
        func constant(_ k: Int) -> Tensor? { k < step.inputs.count && step.inputs[k] >= 0 ? constants[step.inputs[k]] : nil }
        switch node.opType {
        case "Relu" where step.inputs == [data]:
            return .relu
        case "Clip" where step.inputs.first == data && !step.inputs.dropFirst().contains(data):
            guard let (low, high) = try? ActivationKernels.clipBounds(node, (0..<step.inputs.count).map(constant),
                                                                       step.context) else { return nil }
            func bound(_ t: Tensor?) -> Float? { t.map { $0.converted(to: .float32).scalars(as: Float.self)[0] } }
            return .clip(low: bound(low), high: bound(high))
        case "BatchNormalization" where step.inputs.count == 5 && step.inputs.first == data:
            let training = step.context.opset >= 14 && node.int("training_mode", default: 0) != 0
            let params = (1...4).compactMap { constant($0) }
            guard !training, params.count == 4, params.allSatisfy({ $0.dtype == .float32 && $0.count == channels }) else {
                return nil
            }
            let (a, b) = NormalizationKernels.affineCoefficients(params.map { $0.scalars(as: Float.self) },
                                                                 epsilon: node.float("epsilon", default: 1e-5),
                                                                 count: channels)
            return .affine(scale: a, shift: b)
        case "Mul", "Add":
            guard step.inputs.count == 2, step.inputs.filter({ $0 == data }).count == 1,
                  let other = constant(step.inputs[0] == data ? 1 : 0),
                  let values = perChannel(other, channels: channels, rank: rank) else { return nil }
            return node.opType == "Mul" ? .multiply(values) : .add(values)
        default:
            return nil
        }
    }

    /// The values of a float32 constant that broadcasts against an NCHW tensor of `rank` and `channels` channels
    /// without changing its shape and varies at most along the channel axis: one value, or one per channel.
    static func perChannel(_ t: Tensor, channels: Int, rank: Int) -> [Float]? {
        guard t.dtype == .float32, t.rank <= rank else { return nil }
        let offset = rank - t.rank
        for (i, d) in t.shape.enumerated() where d != 1 && !(i + offset == 1 && d == channels) { return nil }
        let values = t.scalars(as: Float.self)
        return values.count == 1 || values.count == channels ? values : nil
    }
}

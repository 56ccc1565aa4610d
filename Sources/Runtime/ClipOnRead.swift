import StrataCore

/// A Clip at the end of a Conv's chain that a recording run leaves to the Convs reading it (MobileNets: an expand
/// conv's ReLU6 before the depthwise conv). A run that does not record computes the Clip in the chain and writes
/// only its output. A recording run must keep both the conv output and the clipped value; instead of writing
/// both, it writes the conv output, hands it to the readers, which clamp each input plane as they copy it into
/// the cache, and records the Clip as the way to compute it. The readers' outputs are the same bits: clamping
/// rounds nothing.
extension ExecutionPlan {
    /// Marks each Conv step whose epilogue ends with a Clip whose value is not a graph output and whose every
    /// reader is a depthwise Conv reading it as its data, or a Pad those Convs apply (`PadFusion.swift`):
    /// `clipByReaders` on the Conv, `clipOnRead` on the readers.
    static func leaveClipsToReaders(_ steps: inout [Step], _ graph: Graph, constants: [Int: Tensor], outputSlots: [Bool]) {
        var readers: [Int: [Int]] = [:]  // slot → every step that reads it
        for i in steps.indices {
            for s in Set(steps[i].inputs) where s >= 0 { readers[s, default: []].append(i) }
        }
        for i in steps.indices {
            guard case let .clip(low, high)? = steps[i].epilogue.last, let out = steps[i].epilogueOutputs.last,
                  !outputSlots[out], let reading = readers[out], !reading.isEmpty,
                  reading.allSatisfy({ steps[$0].paddedByReaders || isDepthwise(steps[$0], graph, reading: out, constants) })
            else { continue }
            steps[i].clipByReaders = true
            for j in reading { steps[j].clipOnRead = ClipBounds(low: low ?? -.infinity, high: high ?? .infinity) }
        }
    }

    /// Whether `step` is a Conv, one input channel per group, that reads `slot` as its data only.
    private static func isDepthwise(_ step: Step, _ graph: Graph, reading slot: Int, _ constants: [Int: Tensor]) -> Bool {
        step.inputs.firstIndex(of: slot) == 0 && step.inputs.lastIndex(of: slot) == 0 && isDepthwise(step, graph, constants)
    }

    /// Whether `step` runs a Conv with constant weights and one input channel per group.
    static func isDepthwise(_ step: Step, _ graph: Graph, _ constants: [Int: Tensor]) -> Bool {
        let node = graph.nodes[step.node]
        guard isDefaultDomain(node), node.opType == "Conv", step.kernel != nil, step.folded == nil,
              step.inputs.count >= 2, step.inputs[1] >= 0, let weight = constants[step.inputs[1]],
              weight.rank >= 3 else { return false }
        return weight.shape[1] == 1 && node.int("group", default: 1) > 1
    }
}

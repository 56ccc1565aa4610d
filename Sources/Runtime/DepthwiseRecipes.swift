import StrataCore

/// A depthwise Conv and the elementwise chain after it (MobileNets: depthwise → BatchNormalization → ReLU6), kept
/// by a recording run as the conv to run again and the ops after it, instead of written.
///
/// A recording run must keep every value, and every tensor it keeps is written to memory no later layer writes
/// again while it is in the cache: a trip to memory that a run which does not record saves. A depthwise conv is
/// a few multiply-adds a value (9 for 3×3), so running it again when a value is asked for (by the viewer, `--dump`
/// or the statistics) costs little, with the same kernel and so the same values. Such a chain then runs in a
/// recording run as in one that does not record: in place, into a buffer its readers free again. (MobileNetV2's
/// depthwise outputs are about 9 MB a run: recording took 1.108 of the time plain, against 1.036 this way, the
/// medians of 5 alternated rounds.)
extension ExecutionPlan {
    /// Marks each depthwise Conv step whose epilogue writes every value in place over the one before and adds no
    /// tensor: `recordedAsRecipes`.
    static func recordDepthwiseChainsAsRecipes(_ steps: inout [Step], _ graph: Graph, constants: [Int: Tensor]) {
        for i in steps.indices where !steps[i].epilogue.isEmpty {
            let step = steps[i]
            guard !step.clipByReaders, isDepthwise(step, graph, constants),
                  step.epilogueInPlace.count == step.epilogue.count, step.epilogueInPlace.allSatisfy({ $0 }),
                  step.epilogue.allSatisfy({ if case .addTensor = $0 { false } else { true } }) else { continue }
            steps[i].recordedAsRecipes = true
        }
    }
}

extension ConvChainRecipe {
    /// The values of a chain `ops` that a run wrote in place (`written`, one per op) as recipes from `source`, the
    /// conv output computed again; the readers get what the run wrote.
    static func depthwiseChain(from source: LazyTensor, ops: [EpilogueOp], written: [ConvChainValue]) -> [ConvChainValue] {
        zip(ops.indices, written).map { k, value in
            guard case let .tensor(t) = value else { return value }
            return .recipe(ConvChainRecipe(source: source, ops: Array(ops[...k]), operands: []), readersGet: t)
        }
    }
}

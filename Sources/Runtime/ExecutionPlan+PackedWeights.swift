import StrataCore

extension ExecutionPlan {
    /// Packs, once, the weights of each Conv whose weights and bias are constant and that runs on the AVX2
    /// kernels (not depthwise), so that runs do not repack them.
    static func packConvWeights(_ steps: inout [Step], _ graph: Graph, constants: [Int: Tensor]) {
        guard VectorGemm.isAvailable else { return }
        for i in steps.indices where steps[i].folded == nil && steps[i].kernel != nil && !steps[i].computedAhead {
            let node = graph.nodes[steps[i].node]
            let inputs = steps[i].inputs
            guard isDefaultDomain(node), node.opType == "Conv", inputs.count >= 2, inputs[1] >= 0,
                  let weight = constants[inputs[1]], weight.dtype == .float32, weight.rank >= 3 else { continue }
            var bias: [Float]?
            if inputs.count > 2, inputs[2] >= 0 {
                guard let b = constants[inputs[2]], b.dtype == .float32, b.count == weight.shape[0] else { continue }
                bias = b.scalars(as: Float.self)
            }
            let group = node.int("group", default: 1)
            let (m, perGroup) = (weight.shape[0], weight.shape[1])
            guard group > 0, m % group == 0, !(perGroup == 1 && group > 1) else { continue }
            let depth = weight.shape.dropFirst().reduce(1, *)
            steps[i].packedWeights = weight.withFloats { w in
                PackedWeights(weight: w.baseAddress!, groups: group, rows: m / group, depth: depth, bias: bias)
            }
            steps[i].convSizes = ConvSizesCache()
        }
    }
}

import StrataCore

/// Zero padding of the spatial axes folded into the Convs that read it (Keras' `ZeroPadding2D` before a stride-2
/// conv, as in MobileNets): each Conv reads the Pad's input and pads it itself, so the run never writes the
/// padded tensor. A recording run still records it, as its recipe: `Trace` computes it with the Pad kernel the
/// first time it is asked for, and it has the values that kernel gives.
extension ExecutionPlan {
    /// Marks each zero Pad of the spatial axes whose only readers are Convs (and that is not a graph output)
    /// `paddedByReaders`, and gives each reader the Pad's input and a node with the padding added to its own.
    static func fusePadsIntoConvs(_ steps: inout [Step], _ graph: Graph, constants: [Int: Tensor], outputSlots: [Bool]) {
        var readers: [Int: [Int]] = [:]  // slot → the steps that read it
        for i in steps.indices where steps[i].folded == nil {
            for s in Set(steps[i].inputs) where s >= 0 { readers[s, default: []].append(i) }
        }
        for i in steps.indices where steps[i].folded == nil && steps[i].kernel != nil {
            let node = graph.nodes[steps[i].node]
            guard isDefaultDomain(node), node.opType == "Pad", steps[i].outputs.count == 1,
                  let out = steps[i].outputs.first, out >= 0, !outputSlots[out], steps[i].inputs.first ?? -1 >= 0,
                  let (begin, end) = spatialZeroPads(steps[i], node, constants: constants),
                  let convs = readers[out], !convs.isEmpty else { continue }
            let padded = convs.compactMap { j in
                steps[j].inputs.firstIndex(of: out) == 0 && steps[j].inputs.lastIndex(of: out) == 0
                    ? paddingAdded(to: graph.nodes[steps[j].node], begin: begin, end: end) : nil
            }
            guard padded.count == convs.count else { continue }
            for (j, conv) in zip(convs, padded) {
                steps[j].inputs[0] = steps[i].inputs[0]
                steps[j].runNode = conv
            }
            steps[i].paddedByReaders = true
        }
    }

    /// The spatial padding of a constant-mode Pad with constant pads and a zero fill that pads only the axes
    /// after the first two, none of them negative: `(begin, end)` per spatial axis; nil for any other Pad.
    private static func spatialZeroPads(_ step: Step, _ node: Node, constants: [Int: Tensor]) -> (begin: [Int], end: [Int])? {
        guard node.string("mode", default: "constant") == "constant" else { return nil }
        func constant(_ k: Int) -> Tensor? { k < step.inputs.count && step.inputs[k] >= 0 ? constants[step.inputs[k]] : nil }
        let pads: [Int]
        if step.context.opset < 11 {
            guard node.float("value", default: 0) == 0, let attribute = node.ints("pads") ?? node.ints("paddings") else {
                return nil
            }
            pads = attribute
        } else {
            // An `axes` input (opset 18) is left to the Pad kernel.
            guard step.inputs.count < 4 || step.inputs[3] < 0, let t = constant(1), t.dtype == .int64, t.rank == 1 else {
                return nil
            }
            if step.inputs.count > 2, step.inputs[2] >= 0 {
                guard let fill = constant(2), fill.count == 1, fill.converted(to: .float32).scalars(as: Float.self)[0] == 0 else {
                    return nil
                }
            }
            pads = t.int64s.map { Int($0) }
        }
        let rank = pads.count / 2
        guard pads.count % 2 == 0, (3...4).contains(rank), pads.allSatisfy({ $0 >= 0 }),
              pads[0] == 0, pads[1] == 0, pads[rank] == 0, pads[rank + 1] == 0 else { return nil }
        return (Array(pads[2..<rank]), Array(pads[(rank + 2)...]))
    }

    /// `conv` with `begin` and `end` added to its padding, when it is an explicitly padded (or `VALID`) Conv of
    /// as many spatial axes; nil otherwise.
    private static func paddingAdded(to conv: Node, begin: [Int], end: [Int]) -> Node? {
        guard isDefaultDomain(conv), conv.opType == "Conv" else { return nil }
        let autoPad = conv.string("auto_pad", default: "NOTSET")
        guard ["NOTSET", "", "VALID"].contains(autoPad) else { return nil }
        let own = autoPad == "VALID" ? nil : conv.ints("pads")
        let pads = own ?? Array(repeating: 0, count: 2 * begin.count)
        guard pads.count == 2 * begin.count else { return nil }
        var node = conv
        node.attributes["pads"] = .ints(zip(pads, begin + end).map { $0 + $1 })
        node.attributes["auto_pad"] = nil
        return node
    }
}

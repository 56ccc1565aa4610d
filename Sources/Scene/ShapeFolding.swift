import StrataCore

/// Finds shape-only subgraphs: layers that only compute shapes or constants for other layers (Shape →
/// Gather → Unsqueeze → Concat feeding a Reshape's shape input, Constants), which the scene folds into
/// the layer that consumes them.
public enum ShapeFolding {
    /// Operators that can be part of a shape-only subgraph.
    public static let foldableOps: Set<String> = [
        "Shape", "Gather", "Cast", "Slice", "Concat", "Unsqueeze", "Squeeze", "ConstantOfShape", "Constant",
        "Range", "ReduceProd", "Size", "Identity", "Equal", "Where", "Div", "Mul", "Add", "Sub",
    ]
    /// Operators that must be in a subgraph for it to fold (arithmetic alone on data never folds).
    static let shapeSources: Set<String> = ["Shape", "Constant", "ConstantOfShape", "Size", "Range"]
    /// Inputs (by position) that carry shapes, sizes or indices rather than data, per operator.
    static let shapeInputs: [String: Set<Int>] = [
        "Reshape": [1], "Expand": [1], "Tile": [1], "ConstantOfShape": [0], "Resize": [1, 2, 3],
        "Upsample": [1], "Slice": [1, 2, 3, 4], "Pad": [1, 2], "Squeeze": [1], "Unsqueeze": [1],
        "ReduceSum": [1], "ReduceMean": [1], "ReduceMax": [1], "ReduceMin": [1], "TopK": [1], "Split": [1],
        "OneHot": [1], "Range": [0, 1, 2], "Clip": [1, 2],
    ]

    /// Maps each folded layer's index (into `graph.layers`) to the index of the visible layer it folds into.
    public static func foldedLayers(in graph: Graph) -> [Int: Int] {
        let layers = graph.layers
        var producer: [String: Int] = [:]
        for (i, l) in layers.enumerated() { for o in l.outputs { producer[o] = i } }
        var consumers = [[(layer: Int, slot: Int)]](repeating: [], count: layers.count)
        for (i, l) in layers.enumerated() {
            for (slot, v) in layerInputSlots(l, graph: graph) {
                if let p = producer[v] { consumers[p].append((i, slot)) }
            }
        }
        let graphOutputs = Set(graph.outputs.map(\.name))
        var folded = Set(
            layers.indices.filter { i in
                foldableOps.contains(layers[i].op) && layers[i].outputs.allSatisfy { !graphOutputs.contains($0) }
            })
        let constant = constantLayers(graph, producer: producer).intersection(folded)
        var changed = true
        while changed {
            changed = false
            for i in folded where !constant.contains(i) {
                let ok =
                    !consumers[i].isEmpty
                    && consumers[i].allSatisfy { c in
                        folded.contains(c.layer) || (shapeInputs[layers[c.layer].op]?.contains(c.slot) ?? false)
                    }
                if !ok || !reachesShapeSource(i, layers: layers, graph: graph, producer: producer, folded: folded) {
                    folded.remove(i)
                    changed = true
                }
            }
        }
        return assignTargets(folded, consumers: consumers, count: layers.count)
    }

    /// Layers computable from initializers alone (weights made by ConstantOfShape, Constant nodes, ...).
    static func constantLayers(_ graph: Graph, producer: [String: Int]) -> Set<Int> {
        var constant: Set<Int> = []
        let fed = Set(graph.inputs.map(\.name)).subtracting(graph.initializers.keys)
        for (i, layer) in graph.layers.enumerated() where foldableOps.contains(layer.op) {
            let inputs = layer.nodes.filter { $0 < graph.nodes.count }.flatMap { graph.nodes[$0].inputs } + layer.inputs
            let isConstant = inputs.allSatisfy { v in
                v.isEmpty
                    || (!fed.contains(v)
                        && (graph.initializers[v] != nil || producer[v].map(constant.contains) == true))
            }
            if isConstant { constant.insert(i) }
        }
        return constant
    }

    /// The layer's data inputs with their positions in its (first) node's input list.
    static func layerInputSlots(_ layer: Layer, graph: Graph) -> [(Int, String)] {
        if layer.nodes.count == 1, layer.nodes[0] < graph.nodes.count {
            return graph.nodes[layer.nodes[0]].inputs.enumerated().filter { !$0.element.isEmpty }.map {
                ($0.offset, $0.element)
            }
        }
        return layer.inputs.enumerated().map { ($0.offset, $0.element) }
    }

    /// True when a folded candidate derives from a Shape/Constant rather than only from data.
    private static func reachesShapeSource(
        _ i: Int, layers: [Layer], graph: Graph, producer: [String: Int],
        folded: Set<Int>
    ) -> Bool {
        if shapeSources.contains(layers[i].op) { return true }
        var stack = [i]
        var seen: Set<Int> = [i]
        while let j = stack.popLast() {
            for v in layers[j].inputs {
                guard let p = producer[v], folded.contains(p), seen.insert(p).inserted else { continue }
                if shapeSources.contains(layers[p].op) { return true }
                stack.append(p)
            }
            if layers[j].inputs.isEmpty || layers[j].inputs.allSatisfy({ graph.initializers[$0] != nil }) {
                return true
            }
        }
        return false
    }

    /// For each folded layer, the first visible layer downstream of it.
    private static func assignTargets(_ folded: Set<Int>, consumers: [[(layer: Int, slot: Int)]], count: Int) -> [Int:
        Int]
    {
        var target: [Int: Int] = [:]
        for i in folded.sorted(by: >) {
            for c in consumers[i] {
                if let t = folded.contains(c.layer) ? target[c.layer] : c.layer {
                    target[i] = min(target[i] ?? t, t)
                }
            }
        }
        return target
    }
}

import Foundation
import StrataCore

/// Builds a `Scene` from a graph, its inferred types, an optional run's activations and the view state.
///
/// Pure and thread-safe: everything it needs is passed in. Without activations, blocks show shapes only and
/// open layers reference their tensors with a 0...1 range (a renderer draws them neutral).
public enum SceneBuilder {
    /// The scene of `graph`. `types` comes from `ShapeInference.infer(graph)`; `trace` supplies recorded
    /// tensors and their statistics.
    public static func build(
        graph: Graph, types: [String: TensorType], trace: (any ActivationSource)? = nil,
        viewState: ViewState = ViewState()
    ) -> Scene {
        let plans = featureMapPlans(graph: graph, types: types, trace: trace, viewState: viewState)
        let layout = Layout.compute(
            graph: graph, types: types, footprints: plans.mapValues(\.footprint),
            showShapeSubgraphs: viewState.showShapeSubgraphs)
        let ranges = RangeResolver(plans: plans, trace: trace, viewState: viewState)
        let labels = LayerLabels.short(for: layout.nodes.map(\.layer))
        var items: [SceneItem] = []
        items.reserveCapacity(
            layout.nodes.count * 2 + layout.edges.count + plans.values.reduce(0) { $0 + $1.itemEstimate })
        for node in layout.nodes {
            if let plan = plans[node.layer] {
                appendFeatureMaps(plan, at: node, ranges: ranges, trace: trace, viewState: viewState, to: &items)
            } else {
                items.append(block(for: node))
            }
            items.append(label(for: node, text: labels[node.layer] ?? node.layer))
        }
        for edge in layout.edges {
            items.append(
                SceneItem(
                    kind: .edge, layer: edge.to, value: edge.value, position: AABB.around(edge.points).center,
                    size: AABB.around(edge.points).size, color: RGB(0.55, 0.58, 0.62), points: edge.points))
        }
        let bounds = items.reduce(AABB.empty) { $0.union($1.bounds) }
        return Scene(items: items, camera: Camera.framing(bounds), bounds: bounds, viewState: viewState)
    }

    /// The layer `name` denotes: a layer name, or a value name as `inspect` prints it (the layer producing it).
    public static func resolveLayer(_ name: String, in graph: Graph) -> String? {
        if graph.layers.contains(where: { $0.name == name }) { return name }
        if let l = graph.layers.first(where: { $0.outputs.contains(name) }) { return l.name }
        if graph.inputs.contains(where: { $0.name == name }) { return name }
        return nil
    }

    // MARK: - Items

    static func block(for node: LayoutNode) -> SceneItem {
        let category: OpCategory = node.layerIndex == nil ? .input : OpCategory.of(op: node.op)
        return SceneItem(
            kind: .block, layer: node.layer, value: node.value, position: node.center, size: node.size,
            color: category.color, category: category, op: node.op, shape: node.shape)
    }

    static func label(for node: LayoutNode, text: String) -> SceneItem {
        let height: Float = 0.28
        let width = Float(text.count) * height * 0.55
        let position = node.center + Vec3(0, node.size.y / 2 + height, node.size.z / 2)
        return SceneItem(
            kind: .label, layer: node.layer, value: node.value, position: position,
            size: Vec3(width, height, 0), text: text)
    }
}

extension AABB {
    /// The smallest box around `points`.
    static func around(_ points: [Vec3]) -> AABB { points.reduce(AABB.empty) { $0.including($1) } }
}

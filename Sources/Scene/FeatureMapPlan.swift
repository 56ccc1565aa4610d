import Foundation
import StrataCore

/// How one open layer lays out its feature maps: its mode, cell counts and the footprint the layout reserves.
struct FeatureMapPlan: Sendable {
    var layer: String
    var value: String
    var shape: [Int]
    var layout: TensorLayout
    var dims: FeatureMapDims
    var mode: ViewMode
    /// Channels shown (all, or one for a single-channel height field).
    var channels: [Int]
    /// Size of one slab or surface (x, y or z per mode) and spacing.
    var cellSize: Vec3
    var columns: Int
    var rows: Int
    var gap: Float
    /// Voxel downsampling (W, H, C) and the resulting cell counts.
    var step: [Int] = [1, 1, 1]
    var cells: [Int] = [1, 1, 1]
    var footprint: Vec3

    /// Rough count of items this plan emits.
    var itemEstimate: Int { mode == .voxels || mode == .bars ? 1 : channels.count * (mode == .values ? 2 : 1) }

    static let slabThickness: Float = 0.04
    static let heightScale: Float = 1.5
    static let barHeight: Float = 2.0
    static let stackDepthLimit: Float = 40
    /// Most channels drawn as slabs or surfaces (a shape read from a file can claim any number).
    static let maxChannelsShown = 4096

    /// The side of a slab for a feature-map dimension `n` (log scale, like blocks, a little larger).
    static func side(_ n: Int) -> Float { min(6, 0.5 + 0.6 * Float(log2(Double(max(n, 1))))) }

    init(
        layer: String, value: String, shape: [Int], layout: TensorLayout, mode requested: ViewMode, viewState: ViewState
    ) {
        self.layer = layer
        self.value = value
        self.shape = shape
        self.layout = layout
        dims = FeatureMapDims(shape: shape, layout: layout)
        mode = dims.isSpatial ? (requested == .bars ? .grid : requested) : .bars
        let c = dims.channels
        channels = Array(0..<min(c, FeatureMapPlan.maxChannelsShown))
        if mode == .heightfield, let only = viewState.heightfieldChannel, (0..<c).contains(only) { channels = [only] }
        let w = FeatureMapPlan.side(dims.width)
        let h = FeatureMapPlan.side(dims.height)
        gap = 0.12 * max(w, h)
        columns = Int(Double(channels.count).squareRoot().rounded(.up))
        rows = (channels.count + columns - 1) / max(columns, 1)
        cellSize = Vec3(w, h, FeatureMapPlan.slabThickness)
        footprint = .zero
        switch mode {
        case .grid, .values:
            footprint = Vec3(span(columns, w), span(rows, h), FeatureMapPlan.slabThickness)
        case .stack:
            let pitch = min(0.3, FeatureMapPlan.stackDepthLimit / Float(max(channels.count, 1)))
            cellSize.z = pitch
            footprint = Vec3(w, h, pitch * Float(channels.count))
        case .heightfield:
            cellSize = Vec3(w, FeatureMapPlan.heightScale, h)
            footprint = Vec3(span(columns, w), FeatureMapPlan.heightScale, span(rows, h))
        case .voxels:
            planVoxels(budget: max(viewState.voxelBudget, 1))
        case .bars:
            let pitch = min(0.25, 30 / Float(max(c, 1)))
            cellSize = Vec3(0.3, FeatureMapPlan.barHeight, pitch)
            footprint = Vec3(0.3, FeatureMapPlan.barHeight, pitch * Float(c))
        }
    }

    private func span(_ n: Int, _ side: Float) -> Float { Float(n) * side + Float(max(n - 1, 0)) * gap }

    /// Doubles the step of the axis with the most cells until C×H×W cells fit `budget`.
    private mutating func planVoxels(budget: Int) {
        let full = [dims.width, dims.height, dims.channels]
        step = [1, 1, 1]
        func counts() -> [Int] { (0..<3).map { (full[$0] + step[$0] - 1) / step[$0] } }
        var n = counts()
        while Double(n[0]) * Double(n[1]) * Double(n[2]) > Double(budget) {
            let axis = n.indices.max { n[$0] < n[$1] }!
            step[axis] *= 2
            n = counts()
        }
        cells = n
        let unit = min(0.25, 10 / Float(n.max() ?? 1))
        cellSize = Vec3(unit, unit, unit)
        footprint = Vec3(Float(n[0]) * unit, Float(n[1]) * unit, Float(n[2]) * unit)
    }
}

extension SceneBuilder {
    /// Plans for every open layer whose output shape is known.
    static func featureMapPlans(
        graph: Graph, types: [String: TensorType], trace: (any ActivationSource)?,
        viewState: ViewState
    ) -> [String: FeatureMapPlan] {
        var plans: [String: FeatureMapPlan] = [:]
        for name in viewState.expanded {
            guard let layerName = resolveLayer(name, in: graph) else { continue }
            let layer = graph.layers.first { $0.name == layerName }
            guard let value = layer?.shownValue ?? (layer == nil ? layerName : nil) else { continue }
            guard let shape = trace?.tensor(named: value)?.shape ?? types[value]?.displayShape else { continue }
            let layout: TensorLayout =
                (layer?.layout ?? graph.layers.first { $0.inputs.contains(value) }?.layout) == "NHWC"
                ? .nhwc : .nchw
            plans[layerName] = FeatureMapPlan(
                layer: layerName, value: value, shape: shape, layout: layout,
                mode: viewState.modeOverrides[name] ?? viewState.mode(of: layerName),
                viewState: viewState)
        }
        return plans
    }
}

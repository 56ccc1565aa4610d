import Foundation
import StrataCore

extension SceneBuilder {
    /// Appends the items of an open layer, centred on its layout node.
    static func appendFeatureMaps(
        _ plan: FeatureMapPlan, at node: LayoutNode, ranges: RangeResolver,
        trace: (any ActivationSource)?, viewState: ViewState, to items: inout [SceneItem]
    ) {
        let origin = node.center - plan.footprint / 2
        func ref(channel: Int, count: Int = 1, step: [Int] = [1, 1, 1]) -> TensorRef {
            let r = ranges.range(layer: plan.layer, channel: count == 1 ? channel : nil)
            return TensorRef(
                value: plan.value, shape: plan.shape, layout: plan.layout, channel: channel,
                channelCount: count, step: step, lo: r.lo, hi: r.hi, colormap: viewState.colormap)
        }
        func item(_ kind: SceneItemKind, _ channel: Int?, _ center: Vec3, _ size: Vec3, _ tensor: TensorRef)
            -> SceneItem
        {
            SceneItem(
                kind: kind, layer: plan.layer, value: plan.value, channel: channel, position: center, size: size,
                op: node.op, shape: plan.shape, tensor: tensor)
        }
        let s = plan.cellSize
        switch plan.mode {
        case .grid, .values:
            for (k, c) in plan.channels.enumerated() {
                let col = Float(k % plan.columns)
                let row = Float(k / plan.columns)
                let center = Vec3(
                    origin.x + col * (s.x + plan.gap) + s.x / 2,
                    origin.y + plan.footprint.y - row * (s.y + plan.gap) - s.y / 2, node.center.z)
                items.append(item(.slab, c, center, Vec3(s.x, s.y, s.z), ref(channel: c)))
            }
            if plan.mode == .values, let tensor = trace?.tensor(named: plan.value) {
                appendValueLabels(
                    plan, tensor: tensor, slabs: items.suffix(plan.channels.count), budget: viewState.valueLabelBudget,
                    to: &items)
            }
        case .stack:
            for c in plan.channels {
                let z = origin.z + plan.footprint.z - (Float(c) + 0.5) * s.z
                items.append(
                    item(
                        .slab, c, Vec3(node.center.x, node.center.y, z),
                        Vec3(s.x, s.y, FeatureMapPlan.slabThickness), ref(channel: c)))
            }
        case .heightfield:
            for (k, c) in plan.channels.enumerated() {
                let col = Float(k % plan.columns)
                let row = Float(k / plan.columns)
                let center = Vec3(
                    origin.x + col * (s.x + plan.gap) + s.x / 2, node.center.y,
                    origin.z + row * (s.z + plan.gap) + s.z / 2)
                items.append(item(.heightfield, c, center, s, ref(channel: c)))
            }
        case .voxels:
            items.append(
                item(
                    .voxels, nil, node.center, plan.footprint,
                    ref(channel: 0, count: plan.dims.channels, step: plan.step)))
        case .bars:
            items.append(item(.bars, nil, node.center, plan.footprint, ref(channel: 0, count: plan.dims.channels)))
        }
    }

    /// One label per cell, in front of each slab, when the layer has at most `budget` cells.
    private static func appendValueLabels(
        _ plan: FeatureMapPlan, tensor: Tensor, slabs: ArraySlice<SceneItem>, budget: Int,
        to items: inout [SceneItem]
    ) {
        let w = plan.dims.width
        let h = plan.dims.height
        guard plan.channels.count * w * h <= budget else { return }
        var labels: [SceneItem] = []
        for slab in slabs {
            guard let ref = slab.tensor, let c = slab.channel else { continue }
            let cw = slab.size.x / Float(w)
            let ch = slab.size.y / Float(h)
            for y in 0..<h {
                for x in 0..<w {
                    guard let v = ref.value(in: tensor, channel: c, x: x, y: y) else { continue }
                    let p = Vec3(
                        slab.position.x - slab.size.x / 2 + (Float(x) + 0.5) * cw,
                        slab.position.y + slab.size.y / 2 - (Float(y) + 0.5) * ch,
                        slab.position.z + slab.size.z / 2 + 0.01)
                    labels.append(
                        SceneItem(
                            kind: .label, layer: plan.layer, value: plan.value, channel: c, position: p,
                            size: Vec3(cw, ch, 0), text: formatValue(v)))
                }
            }
        }
        items.append(contentsOf: labels)
    }

    /// A short number for a cell label: up to 3 significant digits, `NaN`, `inf`, `-inf`.
    public static func formatValue(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return String(format: "%.3g", Double(v))
    }
}

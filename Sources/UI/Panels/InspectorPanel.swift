import Foundation
import Runtime
import Scene

/// The inspector: the selected layer's name, op, attributes, shapes, parameters, activation statistics with a
/// histogram, and a colour bar of the range its feature maps are drawn with.
public enum InspectorPanel {
    /// Draws `summary` docked against `edge`, `size` pixels deep. `range` is the colormap range in use
    /// (nil when the layer shows no tensor).
    public static func draw(_ ui: UIContext, summary: LayerSummary, colormap: ColormapName,
                            range: (lo: Float, hi: Float)?, edge: UIEdge = .right, size: Float = 330) {
        ui.beginPanel("Layer##inspector", edge: edge, size: size)
        let spacing = ui.spacing
        ui.spacing = 2
        defer {
            ui.spacing = spacing
            ui.endPanel()
        }
        ui.label(summary.name, color: UITheme.accent)
        ui.field("op", summary.op)
        if !summary.attributes.isEmpty {
            for attribute in summary.attributes.prefix(8) { ui.field("  " + attribute.name, attribute.value) }
        }
        for input in summary.inputs { ui.field("in  " + input.name, input.shape) }
        for output in summary.outputs { ui.field("out " + output.name, output.shape) }
        ui.field("parameters", UIFormat.count(summary.params))
        for weight in summary.weights.prefix(4) { ui.field("  " + weight.name, weight.shape) }
        if let stats = summary.stats { statistics(ui, stats, histogram: summary.histogram) }
        if let range { colourBar(ui, colormap: colormap, range: range) }
    }

    static func statistics(_ ui: UIContext, _ stats: TensorStats, histogram: [Int]) {
        ui.space()
        ui.label("Activations", color: UITheme.dim)
        ui.field("min / max", "\(UIFormat.number(stats.min))  /  \(UIFormat.number(stats.max))")
        ui.field("mean / std", "\(UIFormat.number(stats.mean))  /  \(UIFormat.number(stats.std))")
        let zeros = stats.count > 0 ? Float(stats.zeros) / Float(stats.count) * 100 : 0
        ui.field("zeros", String(format: "%.1f %%", zeros))
        ui.field("NaN / Inf", "\(stats.nanCount) / \(stats.infCount)")
        guard !histogram.isEmpty else { return }
        let box = ui.place(height: 48)
        ui.fill(box, UITheme.field)
        let peak = Float(histogram.max() ?? 1)
        let barWidth = box.width / Float(histogram.count)
        for (i, n) in histogram.enumerated() where n > 0 {
            let h = max((box.height - 4) * Float(n) / max(peak, 1), 1)
            ui.fill(UIRect(x: box.x + Float(i) * barWidth, y: box.maxY - h, width: max(barWidth - 1, 1), height: h), UITheme.selected)
        }
    }

    /// The colormap as a horizontal bar labelled with `range`.
    public static func colourBar(_ ui: UIContext, colormap: ColormapName, range: (lo: Float, hi: Float)) {
        ui.space()
        ui.label("Colour range (\(colormap.rawValue))", color: UITheme.dim)
        let bar = ui.place(height: 16)
        let table = Colormap.named(colormap).table
        let steps = 64
        for i in 0..<steps {
            let c = table[min(i * table.count / steps, table.count - 1)]
            ui.fill(UIRect(x: bar.x + bar.width * Float(i) / Float(steps), y: bar.y, width: bar.width / Float(steps) + 0.5,
                           height: bar.height), SIMD4(c.r, c.g, c.b, 1))
        }
        let lo = UIFormat.number(range.lo), hi = UIFormat.number(range.hi)
        let row = ui.place(height: ui.textSize * ui.metrics.lineHeight)
        ui.drawText(lo, in: row, color: UITheme.text)
        let w = ui.textWidth(hi)
        ui.drawText(hi, in: UIRect(x: row.maxX - w, y: row.y, width: w, height: row.height))
    }
}

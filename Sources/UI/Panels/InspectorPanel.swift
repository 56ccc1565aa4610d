import Foundation
import Runtime
import Scene

/// The inspector: the selected layer's name, then one of three views chosen by tabs: a summary (op,
/// attributes, shapes, parameters, activation statistics with a histogram), a heat map of a channel annotated
/// with its values, and a paged table of its numbers. The colour bar of the range in use shows with the
/// summary and the heat map.
public enum InspectorPanel {
    /// Draws `summary` docked against `edge`, `size` pixels deep. `tensor` is the channel the heat map and
    /// table show (nil when the layer has no recorded activation), `range` the colormap range in use (nil when
    /// the layer shows no tensor); `state` keeps the tab, channel, zoom and table position.
    public static func draw(_ ui: UIContext, summary: LayerSummary, tensor: InspectorTensor?, state: inout InspectorState,
                            colormap: ColormapName, range: (lo: Float, hi: Float)?, edge: UIEdge = .right,
                            size: Float = 330) {
        ui.beginPanel("Layer##inspector", edge: edge, size: size)
        let spacing = ui.spacing
        ui.spacing = 2
        defer {
            ui.spacing = spacing
            ui.endPanel()
        }
        ui.label(summary.name, color: UITheme.accent)
        _ = ui.choice("##tabs", selection: &state.tab)
        ui.space(4)
        switch state.tab {
        case .summary:
            details(ui, summary)
            if let range { colourBar(ui, colormap: colormap, range: range) }
        case .heatMap, .table:
            guard let tensor else {
                ui.label("No activation recorded: run the model.", color: UITheme.dim)
                return
            }
            channelStepper(ui, tensor: tensor, state: &state)
            if state.tab == .table {
                TensorTableView.draw(ui, tensor: tensor, state: &state, maxHeight: ui.remainingHeight)
            } else {
                HeatMapView.draw(ui, tensor: tensor, state: &state, maxHeight: ui.remainingHeight - colourBarHeight(ui))
                colourBar(ui, colormap: tensor.colormap, range: (tensor.lo, tensor.hi))
            }
        }
    }

    static func details(_ ui: UIContext, _ summary: LayerSummary) {
        ui.field("op", summary.op)
        for attribute in summary.attributes.prefix(8) { ui.field("  " + attribute.name, attribute.value) }
        for input in summary.inputs { ui.field("in  " + input.name, input.shape) }
        for output in summary.outputs { ui.field("out " + output.name, output.shape) }
        ui.field("parameters", UIFormat.count(summary.params))
        for weight in summary.weights.prefix(4) { ui.field("  " + weight.name, weight.shape) }
        if let stats = summary.stats { statistics(ui, stats, histogram: summary.histogram) }
    }

    /// ◀ channel c of 0–(C−1) ▶ for a feature map of several channels; the shape of a vector otherwise.
    static func channelStepper(_ ui: UIContext, tensor: InspectorTensor, state: inout InspectorState) {
        guard !tensor.isVector else {
            ui.label("\(UIFormat.count(tensor.count)) values, wrapped \(tensor.width) per row", color: UITheme.dim)
            return
        }
        if ui.button("◀##channelBack", width: ui.rowHeight, enabled: tensor.channel > 0) {
            state.stepChannel(by: -1, count: tensor.channels)
        }
        ui.sameLine()
        if ui.button("▶##channelForward", width: ui.rowHeight, enabled: tensor.channel < tensor.channels - 1) {
            state.stepChannel(by: 1, count: tensor.channels)
        }
        ui.sameLine()
        let rect = ui.place(height: ui.rowHeight)
        let text = "channel \(tensor.channel) of 0–\(tensor.channels - 1)  ·  \(tensor.width)×\(tensor.height)"
        ui.drawText(text, in: rect, inset: 2)
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

    /// Height the colour bar takes, with the spacing around it.
    static func colourBarHeight(_ ui: UIContext) -> Float {
        let line = (ui.textSize * ui.metrics.lineHeight).rounded() + 2
        return ui.spacing * 4 + line + 16 + ui.textSize * ui.metrics.lineHeight
    }

    /// The colormap as a horizontal bar labelled with `range`.
    public static func colourBar(_ ui: UIContext, colormap: ColormapName, range: (lo: Float, hi: Float)) {
        ui.space()
        ui.label("Colour range (\(colormap.rawValue))", color: UITheme.dim)
        ui.gradient(colormap, in: ui.place(height: 16), steps: 64)
        let lo = UIFormat.number(range.lo), hi = UIFormat.number(range.hi)
        let row = ui.place(height: ui.textSize * ui.metrics.lineHeight)
        ui.drawText(lo, in: row, color: UITheme.text)
        let w = ui.textWidth(hi)
        ui.drawText(hi, in: UIRect(x: row.maxX - w, y: row.y, width: w, height: row.height))
    }
}

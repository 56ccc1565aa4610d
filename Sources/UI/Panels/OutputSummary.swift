import Foundation
import StrataCore

/// The model's final output as class scores: probabilities (a softmax is applied when the output is not
/// already a distribution), class labels when a labels file of the right length is known, the top class.
public struct OutputSummary: Sendable, Equatable {
    /// Probability per class, in output order.
    public var probabilities: [Float]
    /// Label per class (`"0"`, `"1"`, … when no labels fit).
    public var labels: [String]
    /// True when a softmax was applied to raw scores.
    public var appliedSoftmax: Bool
    /// Index of the largest probability.
    public var top: Int

    /// At most this many classes are charted (the highest ones when there are more).
    public static let maxBars = 20

    /// The summary of `output` (any shape; flattened), or nil when it is empty or not finite.
    public init?(output: Tensor, labels: [String]?) {
        let values = output.floats
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        let sum = values.reduce(0, +)
        let isDistribution = values.allSatisfy { $0 >= 0 && $0 <= 1 } && abs(sum - 1) < 1e-3
        let p = isDistribution ? values : Self.softmax(values)
        probabilities = p
        appliedSoftmax = !isDistribution
        self.labels = labels.flatMap { $0.count == values.count ? $0 : nil } ?? values.indices.map(String.init)
        top = p.indices.max { p[$0] < p[$1] } ?? 0
    }

    /// Indices to chart: all classes in output order when few, else the `maxBars` highest, highest first.
    public var charted: [Int] {
        guard probabilities.count > Self.maxBars else { return Array(probabilities.indices) }
        return Array(probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(Self.maxBars))
    }

    /// Numerically stable softmax.
    public static func softmax(_ x: [Float]) -> [Float] {
        let m = x.max() ?? 0
        let e = x.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Lines of a labels file (one label per line, trailing empty lines dropped), nil if unreadable.
    public static func loadLabels(at url: URL) -> [String]? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        var lines = text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
        while lines.last == "" { lines.removeLast() }
        return lines.isEmpty ? nil : lines
    }
}

/// Draws an `OutputSummary` as a horizontal bar chart, the top class highlighted.
public enum OutputPanel {
    /// Docks the chart at the right (below an inspector if one was docked first), `height` pixels tall.
    public static func draw(_ ui: UIContext, summary: OutputSummary, title: String = "Output", height: Float? = nil) {
        let rows = summary.charted
        let rowH = (ui.textSize * ui.metrics.lineHeight).rounded()
        let spacing = ui.spacing
        ui.spacing = 1
        defer { ui.spacing = spacing }
        let needed = Float(rows.count) * (rowH + ui.spacing) + ui.titleHeight + rowH + 2 * ui.padding + 4
        ui.beginPanel("\(title)##output", edge: .bottom, size: height ?? needed)
        defer { ui.endPanel() }
        let best = summary.labels[summary.top]
        ui.label("top: \(best)  \(String(format: "%.1f %%", summary.probabilities[summary.top] * 100))"
                 + (summary.appliedSoftmax ? "  (softmax of scores)" : ""), color: UITheme.accent)
        let labelWidth = min((rows.map { ui.textWidth(summary.labels[$0]) }.max() ?? 0) + ui.padding, 140)
        for i in rows {
            let row = ui.place(height: rowH)
            let isTop = i == summary.top
            ui.drawText(summary.labels[i], in: UIRect(x: row.x, y: row.y, width: labelWidth, height: row.height),
                        color: isTop ? UITheme.accent : UITheme.text)
            let percent = String(format: "%5.1f %%", summary.probabilities[i] * 100)
            let pw = ui.textWidth("100.0 %") + ui.padding
            let track = UIRect(x: row.x + labelWidth, y: row.y + 3, width: max(row.width - labelWidth - pw, 4), height: row.height - 6)
            ui.fill(track, UITheme.field)
            ui.fill(UIRect(x: track.x, y: track.y, width: track.width * summary.probabilities[i], height: track.height),
                    isTop ? UITheme.accent : UITheme.selected)
            ui.drawText(percent, in: UIRect(x: track.maxX + ui.padding / 2, y: row.y, width: pw, height: row.height),
                        color: isTop ? UITheme.accent : UITheme.dim)
        }
    }
}

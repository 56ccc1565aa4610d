import Foundation
import GLRenderer
import Scene

/// The 2D layer over the 3D view: the tooltip under the pointer, a status line, messages and progress.
enum ViewerOverlay {
    static let textSize: Float = 14
    static let panel = SIMD4<Float>(0.08, 0.09, 0.11, 0.88)
    static let text = SIMD4<Float>(0.92, 0.93, 0.95, 1)
    static let dim = SIMD4<Float>(0.65, 0.68, 0.72, 1)
    static let accent = SIMD4<Float>(0.98, 0.72, 0.25, 1)

    /// The overlay for the controller's state in a `width`×`height` window (screen coordinates): the tooltip
    /// and the status line. Messages and progress are the UI's (`ViewerApp+UI`).
    static func build(_ controller: ViewerController, metrics: FontMetrics, width: Float, height: Float) -> OverlayDrawList {
        var list = OverlayDrawList()
        if let hover = controller.hover, let pointer = controller.pointer {
            let lines = tooltipLines(hover, controller: controller)
            box(&list, lines: lines, x: Float(pointer.x) + 16, y: Float(pointer.y) + 18, metrics: metrics,
                width: width, height: height, fill: panel)
        }
        statusLine(&list, controller, metrics: metrics, width: width, height: height)
        return list
    }

    /// What the tooltip says about a hit: layer and op, and for feature maps the channel, cell and value.
    static func tooltipLines(_ hit: Hit, controller: ViewerController) -> [String] {
        let item = controller.scene.items[hit.itemIndex]
        var head = hit.layer
        if let op = item.op { head += "  (\(op))" }
        var lines = [head]
        if let shape = item.shape { lines.append("shape " + shape.map(String.init).joined(separator: "×")) }
        if let channel = hit.channel {
            var line = "channel \(channel)"
            if let cell = hit.cell { line += "  (x \(cell.x), y \(cell.y))" }
            if let value = hit.cellValue { line += "  = \(format(value))" }
            lines.append(line)
        } else if item.kind == .block {
            lines.append(controller.viewState.expanded.contains(hit.layer) ? "click: close" : "click: open feature maps")
        }
        return lines
    }

    static func format(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "−Inf" }
        let magnitude = abs(v)
        if magnitude != 0, magnitude < 1e-3 || magnitude >= 1e5 { return String(format: "%.4e", v) }
        return String(format: "%.5g", v)
    }

    private static func statusLine(_ list: inout OverlayDrawList, _ controller: ViewerController, metrics: FontMetrics,
                                   width: Float, height: Float) {
        var parts: [String] = []
        if let doc = controller.document {
            parts.append(doc.fileName)
            if let input = doc.inputDescription { parts.append("input \(input)") }
            if let note = doc.note { parts.append(note) }
        }
        let vs = controller.viewState
        parts.append("view \(vs.mode.rawValue)")
        parts.append("colormap \(vs.colormap.rawValue)")
        parts.append("range \(vs.rangeMode.rawValue)")
        let status = parts.joined(separator: "  ·  ")
        let help = "drag orbit · right-drag pan · wheel zoom · click open · double-click focus · F frame · Home reset · 1-6 view · C colormap · R range · P screenshot · S snapshot · Esc"
        let lineHeight = textSize * 1.5
        list.rect(x: 0, y: height - lineHeight * 2 - 6, width: width, height: lineHeight * 2 + 6, color: SIMD4(0.06, 0.07, 0.09, 0.8))
        list.text(status, x: 10, y: height - lineHeight * 2 - 2, size: textSize, color: text)
        list.text(help, x: 10, y: height - lineHeight - 2, size: textSize * 0.85, color: dim)
    }

    private static func box(_ list: inout OverlayDrawList, lines: [String], x: Float, y: Float, metrics: FontMetrics,
                            width: Float, height: Float, fill: SIMD4<Float>) {
        let pad: Float = 8, lineHeight = textSize * metrics.lineHeight
        let w = (lines.map { metrics.width(of: $0, size: textSize) }.max() ?? 0) + 2 * pad
        let h = Float(lines.count) * lineHeight + 2 * pad
        let bx = min(x, max(width - w - 4, 4)), by = min(y, max(height - h - 4, 4))
        list.rect(x: bx, y: by, width: w, height: h, color: fill)
        for (i, line) in lines.enumerated() {
            list.text(line, x: bx + pad, y: by + pad + Float(i) * lineHeight, size: textSize, color: i == 0 ? accent : text)
        }
    }
}

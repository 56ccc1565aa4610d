import GLRenderer
@testable import UI

/// Runs one UI frame of an 800×600 window around `body` and returns its drawing.
@discardableResult
func frame(_ ui: UIContext, _ body: () -> Void) -> OverlayDrawList {
    ui.beginFrame(width: 800, height: 600)
    body()
    return ui.endFrame()
}

/// The middle of the first text command whose string is `text`, in window pixels.
func position(of text: String, in list: OverlayDrawList, metrics: FontMetrics = .approximate) -> (x: Float, y: Float)? {
    for case let .text(t) in list.commands where t.string == text {
        return (t.x + metrics.width(of: t.string, size: t.size) / 2, t.y + t.size * metrics.lineHeight / 2)
    }
    return nil
}

/// Strings of every text command.
func texts(_ list: OverlayDrawList) -> [String] {
    list.commands.compactMap { if case let .text(t) = $0 { t.string } else { nil } }
}

/// Presses and releases the left button at `point` (both between two frames, as a fast click arrives).
func click(_ ui: UIContext, at point: (x: Float, y: Float), time: Double = 0) {
    ui.feed(.mouseMoved(x: point.x, y: point.y))
    ui.feed(.mouseButton(pressed: true, x: point.x, y: point.y), time: time)
    ui.feed(.mouseButton(pressed: false, x: point.x, y: point.y), time: time)
}

/// One interactive widget of the last frame: its ID, the text it shows and where it is (window pixels).
/// End-to-end tests read these (through the viewer's frame log) to find what to click.
public struct UIWidgetRecord: Equatable, Sendable {
    public var id: String
    public var text: String
    public var rect: UIRect
}

extension UIContext {
    /// Notes the widget `id` at `rect` when `recordsWidgets` is on; `text` defaults to the ID's last part.
    func record(_ id: String, _ rect: UIRect, text: String? = nil) {
        guard recordsWidgets else { return }
        let shown = text ?? UIContext.displayText(String(id.split(separator: "/").last ?? Substring(id)))
        widgetLog.append(UIWidgetRecord(id: id, text: shown, rect: rect))
    }

    /// Sets the text of widget `id` if it was recorded last (a list row learns its text after it is placed).
    func relabelLastRecord(_ id: String, _ text: String) {
        guard recordsWidgets, widgetLog.last?.id == id else { return }
        widgetLog[widgetLog.count - 1].text = text
    }
}

extension UIContext {
    /// The part of the window the docked panels leave (whole pixels, origin top-left), where the 3D view
    /// shows; nil when nothing is docked. Floating panels and modals do not count.
    public var viewArea: (x: Int, y: Int, width: Int, height: Int)? {
        let a = available
        let x0 = Int(a.x.rounded(.down)), y0 = Int(a.y.rounded(.down))
        let x1 = Int(a.maxX.rounded(.up)), y1 = Int(a.maxY.rounded(.up))
        guard x0 > 0 || y0 > 0 || x1 < Int(width) || y1 < Int(height) else { return nil }
        return (x0, y0, max(x1 - x0, 0), max(y1 - y0, 0))
    }
}

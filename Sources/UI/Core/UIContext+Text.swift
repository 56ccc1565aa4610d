import GLRenderer

/// What happened to a scrollable list this frame.
public struct UIListEvent: Equatable, Sendable {
    /// The row pressed.
    public var index: Int
    /// True when the press was the second of a double-click.
    public var isDoubleClick: Bool
}

extension UIContext {
    // MARK: - Text field

    /// A one-line text field: a press focuses it, typed characters append, Backspace deletes the last one.
    /// True when `text` changed. Keys other than Backspace stay available to the caller (`takeKeys`).
    public func textField(_ label: String, text: inout String, width: Float? = nil, placeholder: String = "") -> Bool {
        let id = id(label)
        let rect = place(width: width, height: rowHeight)
        let state = interact(id, rect)
        if state.pressed { focusID = id }
        let focused = focusID == id
        var changed = false
        if focused {
            for c in characters where !c.isNewline && c != "\t" {
                text.append(c)
                changed = true
            }
            characters = []
            // Backspace in an empty field is left to the caller (the file dialog goes up a folder).
            if keys.contains(.backspace), !text.isEmpty {
                let n = keys.filter { $0 == .backspace }.count
                text.removeLast(min(n, text.count))
                changed = true
                keys.removeAll { $0 == .backspace }
            }
        }
        fill(rect, focused ? UITheme.field : state.hovered ? UITheme.widgetHot : UITheme.widget)
        if focused { fill(UIRect(x: rect.x, y: rect.maxY - 2, width: rect.width, height: 2), UITheme.accent) }
        let inner = rect.width - 2 * padding
        var shown = text
        while !shown.isEmpty, textWidth(shown + "|") > inner { shown.removeFirst() }
        if shown.isEmpty, !placeholder.isEmpty, !focused {
            drawText(placeholder, in: rect, inset: padding, color: UITheme.dim)
        } else {
            drawText(shown + (focused ? "|" : ""), in: rect, inset: padding)
        }
        return changed
    }

    // MARK: - Scrollable list

    /// A list of `count` rows in a box `height` pixels tall, scrolled with the wheel; only visible rows are
    /// drawn. `scrollTo` brings that row into view. Returns the pressed row.
    public func list(_ label: String, count: Int, selection: Int?, height: Float, scrollTo: Int? = nil,
                     row: (Int) -> (text: String, color: SIMD4<Float>)) -> UIListEvent? {
        let id = id(label)
        let box = place(height: height)
        fill(box, UITheme.field)
        let rowH = rowHeight - 4
        let visible = max(Int(box.height / rowH), 1)
        let maxOffset = Float(max(count - visible, 0))
        var offset = storage[id] ?? 0
        offset -= takeScroll(in: box) * 3
        if let target = scrollTo {
            if Float(target) < offset { offset = Float(target) }
            if Float(target) >= offset + Float(visible) { offset = Float(target - visible + 1) }
        }
        offset = min(max(offset.rounded(), 0), maxOffset)
        storage[id] = offset
        let first = Int(offset)
        var event: UIListEvent?
        let scrollbar: Float = count > visible ? 6 : 0
        for i in first..<min(first + visible, count) {
            let r = UIRect(x: box.x, y: box.y + Float(i - first) * rowH, width: box.width - scrollbar, height: rowH)
            let state = interact("\(id)#\(i)", r)
            if i == selection { fill(r, UITheme.selected) } else if state.hovered { fill(r, UITheme.widget) }
            let content = row(i)
            relabelLastRecord("\(id)#\(i)", content.text)
            drawText(content.text, in: r, inset: padding, color: content.color)
            if state.pressed { event = UIListEvent(index: i, isDoubleClick: isDoubleClick) }
        }
        if scrollbar > 0 {
            let thumbH = max(box.height * Float(visible) / Float(count), 12)
            let thumbY = box.y + (box.height - thumbH) * (maxOffset > 0 ? offset / maxOffset : 0)
            fill(UIRect(x: box.maxX - scrollbar, y: thumbY, width: scrollbar, height: thumbH), UITheme.widgetHot)
        }
        return event
    }
}

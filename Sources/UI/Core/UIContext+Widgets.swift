import GLRenderer
import Scene

extension UIContext {
    // MARK: - Label

    /// A line of text (shortened with "…" to fit the row).
    public func label(_ text: String, color: SIMD4<Float> = UITheme.text, size: Float? = nil) {
        let s = size ?? textSize
        let rect = place(width: min(textWidth(text, size: s) + 2, remainingWidth), height: (s * metrics.lineHeight).rounded() + 2)
        drawText(text, in: rect, color: color, size: s)
    }

    /// A label and a value on one row, the value right-aligned.
    public func field(_ name: String, _ value: String) {
        let rect = place(height: (textSize * metrics.lineHeight).rounded() + 2)
        let valueWidth = min(textWidth(value), rect.width * 0.65)
        drawText(name, in: UIRect(x: rect.x, y: rect.y, width: rect.width - valueWidth - spacing, height: rect.height), color: UITheme.dim)
        drawText(value, in: UIRect(x: rect.maxX - valueWidth, y: rect.y, width: valueWidth, height: rect.height))
    }

    // MARK: - Button

    /// A push button sized to its label; true on the frame it is pressed.
    public func button(_ label: String, width: Float? = nil, enabled: Bool = true) -> Bool {
        let text = UIContext.displayText(label)
        let id = id(label)
        let rect = place(width: width ?? textWidth(text) + 2 * padding, height: rowHeight)
        let state = enabled ? interact(id, rect) : (hovered: false, pressed: false, held: false)
        fill(rect, state.held ? UITheme.widgetActive : state.hovered ? UITheme.widgetHot : UITheme.widget)
        let w = textWidth(text)
        drawText(text, in: rect, inset: max((rect.width - w) / 2, padding / 2), color: enabled ? UITheme.text : UITheme.dim)
        return state.pressed
    }

    // MARK: - Toggle and choice

    /// A check box with a label; true when `isOn` changed.
    public func toggle(_ label: String, isOn: inout Bool) -> Bool {
        let text = UIContext.displayText(label)
        let box = rowHeight - 10
        let rect = place(width: box + spacing + textWidth(text) + 4, height: rowHeight)
        let state = interact(id(label), rect)
        let boxRect = UIRect(x: rect.x, y: rect.y + 5, width: box, height: box)
        fill(boxRect, state.hovered ? UITheme.widgetHot : UITheme.widget)
        if isOn { fill(boxRect.inset(4), UITheme.accent) }
        drawText(text, in: UIRect(x: boxRect.maxX + spacing, y: rect.y, width: rect.maxX - boxRect.maxX - spacing, height: rect.height))
        if state.pressed { isOn.toggle() }
        return state.pressed
    }

    /// A segmented control over `options` (their titles shown); true when `selection` changed.
    public func choice<T: Equatable>(_ label: String, selection: inout T, options: [T], title: (T) -> String) -> Bool {
        pushID(label)
        defer { popID() }
        let caption = UIContext.displayText(label)
        if !caption.isEmpty {
            let rect = place(width: textWidth(caption) + 2, height: rowHeight)
            drawText(caption, in: rect, color: UITheme.dim)
            sameLine()
        }
        let titles = options.map(title)
        let widths = titles.map { textWidth($0) + padding * 1.5 }
        let bar = place(width: widths.reduce(0, +), height: rowHeight)
        var x = bar.x, changed = false
        for (i, option) in options.enumerated() {
            let seg = UIRect(x: x, y: bar.y, width: widths[i], height: bar.height)
            let state = interact(id("\(i)"), seg)
            relabelLastRecord(id("\(i)"), titles[i])
            let on = option == selection
            fill(seg, on ? UITheme.selected : state.hovered ? UITheme.widgetHot : UITheme.widget)
            drawText(titles[i], in: seg, inset: padding * 0.75, color: on ? UITheme.text : UITheme.dim)
            if state.pressed, !on {
                selection = option
                changed = true
            }
            x = seg.maxX
            if i < options.count - 1 { fill(UIRect(x: x - 1, y: seg.y + 4, width: 1, height: seg.height - 8), UITheme.panel) }
        }
        return changed
    }

    /// A segmented control over every case of a string enum, titled by raw value.
    public func choice<T: CaseIterable & RawRepresentable & Equatable>(_ label: String, selection: inout T) -> Bool
    where T.RawValue == String {
        choice(label, selection: &selection, options: Array(T.allCases), title: { $0.rawValue })
    }

    // MARK: - Slider

    /// A horizontal slider over `range`; true while dragging changes `value`.
    public func slider(_ label: String, value: inout Float, in range: ClosedRange<Float>, width: Float? = nil) -> Bool {
        let id = id(label)
        let rect = place(width: width, height: rowHeight)
        let state = interact(id, rect)
        fill(rect, state.held ? UITheme.widgetActive : state.hovered ? UITheme.widgetHot : UITheme.widget)
        let span = max(range.upperBound - range.lowerBound, .leastNonzeroMagnitude)
        var changed = false
        if state.held {
            let t = min(max((mouseX - rect.x) / max(rect.width, 1), 0), 1)
            let v = range.lowerBound + t * span
            if v != value {
                value = v
                changed = true
            }
        }
        let t = min(max((value - range.lowerBound) / span, 0), 1)
        fill(UIRect(x: rect.x, y: rect.y, width: rect.width * t, height: rect.height), UITheme.selected)
        drawText("\(UIContext.displayText(label)) \(UIFormat.number(value))", in: rect, inset: padding)
        return changed
    }

    // MARK: - Progress

    /// A progress bar filled to `fraction` (0...1) with `text` on it.
    public func progress(_ fraction: Double, text: String) {
        let rect = place(height: rowHeight)
        fill(rect, UITheme.field)
        fill(UIRect(x: rect.x, y: rect.y, width: rect.width * Float(min(max(fraction, 0), 1)), height: rect.height), UITheme.selected)
        drawText(text, in: rect, inset: padding)
    }
}

extension UIContext {
    /// `text` broken into lines no wider than `width` pixels (at word boundaries where possible), at most
    /// `maxLines` (the last one shortened with "…").
    public func wrap(_ text: String, width: Float, maxLines: Int = 4) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if textWidth(candidate) <= width || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] += " …"
        }
        return lines.map { fit($0, width: width) }
    }
}

extension UIContext {
    /// `colormap` from low (left) to high (right) across `rect`, in `steps` bands.
    public func gradient(_ colormap: ColormapName, in rect: UIRect, steps: Int) {
        let table = Colormap.named(colormap).table
        let n = max(steps, 1)
        for i in 0..<n {
            let c = table[min(i * table.count / n, table.count - 1)]
            fill(UIRect(x: rect.x + rect.width * Float(i) / Float(n), y: rect.y, width: rect.width / Float(n) + 0.5,
                        height: rect.height), SIMD4(c.r, c.g, c.b, 1))
        }
    }
}

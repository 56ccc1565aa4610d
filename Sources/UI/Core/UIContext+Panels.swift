import GLRenderer

/// Where the next widget of a panel goes.
struct PanelLayout {
    var content: UIRect
    var x: Float
    var y: Float
    var rowTop: Float
    var rowBottom: Float
    var horizontal: Bool
    var sameLine = false
    var hasItem = false
}

extension UIContext {
    // MARK: - Panels

    /// Height of a panel's title bar.
    public var titleHeight: Float { rowHeight + 2 }

    /// Starts a panel docked against `edge` of the area the previous docked panels left, `size` pixels deep
    /// (clamped to the area). A `horizontal` panel lays widgets out left to right (a toolbar). Returns its rect.
    @discardableResult
    public func beginPanel(_ title: String?, edge: UIEdge, size: Float, horizontal: Bool = false) -> UIRect {
        beginPanel(title, rect: carve(edge, size), horizontal: horizontal)
    }

    /// Sets aside a column (or row) against `edge` of the free area: until `endDock`, docked panels divide
    /// that strip instead of the whole free area (e.g. inspector above output chart at the right).
    public func beginDock(_ edge: UIEdge, size: Float) {
        let strip = carve(edge, size)
        dockStack.append(available)
        available = strip
    }

    /// Ends the strip begun by `beginDock`.
    public func endDock() { available = dockStack.removeLast() }

    /// Takes a strip `size` pixels deep from the free area against `edge`.
    func carve(_ edge: UIEdge, _ size: Float) -> UIRect {
        var a = available
        let rect: UIRect
        switch edge {
        case .top:
            let s = min(size, a.height)
            rect = UIRect(x: a.x, y: a.y, width: a.width, height: s)
            a.y += s; a.height -= s
        case .bottom:
            let s = min(size, a.height)
            rect = UIRect(x: a.x, y: a.maxY - s, width: a.width, height: s)
            a.height -= s
        case .left:
            let s = min(size, a.width)
            rect = UIRect(x: a.x, y: a.y, width: s, height: a.height)
            a.x += s; a.width -= s
        case .right:
            let s = min(size, a.width)
            rect = UIRect(x: a.maxX - s, y: a.y, width: s, height: a.height)
            a.width -= s
        }
        available = a
        return rect
    }

    /// Starts a panel at a fixed `rect` (window pixels).
    @discardableResult
    public func beginPanel(_ title: String?, rect: UIRect, horizontal: Bool = false) -> UIRect {
        panels.append(rect)
        fill(rect, UITheme.panel)
        var top = rect.y
        if let title {
            let bar = UIRect(x: rect.x, y: rect.y, width: rect.width, height: titleHeight)
            fill(bar, UITheme.title)
            drawText(UIContext.displayText(title), in: bar, inset: padding, color: UITheme.accent)
            top = bar.maxY
        }
        let content = UIRect(x: rect.x + padding, y: top + padding / 2, width: rect.width - 2 * padding,
                             height: rect.maxY - top - padding)
        pushID(title ?? "panel\(panels.count)")
        layouts.append(PanelLayout(content: content, x: content.x, y: content.y, rowTop: content.y,
                                   rowBottom: content.y, horizontal: horizontal))
        return rect
    }

    /// Ends the current panel.
    public func endPanel() {
        layouts.removeLast()
        popID()
    }

    /// Starts a modal dialog centred in the window, `width`×`height` pixels: the rest of the window is
    /// shaded and its widgets ignore the mouse until the dialog is not drawn any more.
    @discardableResult
    public func beginModal(_ title: String, width w: Float, height h: Float) -> UIRect {
        modalOpen = true
        inModal = true
        fill(UIRect(x: 0, y: 0, width: width, height: height), UITheme.shade)
        let rect = UIRect(x: ((width - min(w, width - 20)) / 2).rounded(), y: ((height - min(h, height - 20)) / 2).rounded(),
                          width: min(w, width - 20), height: min(h, height - 20))
        return beginPanel(title, rect: rect)
    }

    /// Ends the modal dialog.
    public func endModal() {
        endPanel()
        inModal = false
    }

    // MARK: - Layout

    /// Puts the next widget to the right of the previous one instead of below it.
    public func sameLine() {
        guard !layouts.isEmpty else { return }
        layouts[layouts.count - 1].sameLine = true
    }

    /// Adds vertical space.
    public func space(_ pixels: Float? = nil) {
        guard !layouts.isEmpty else { return }
        layouts[layouts.count - 1].y += pixels ?? spacing
    }

    /// Width left on the current row of the current panel.
    public var remainingWidth: Float {
        guard let l = layouts.last else { return width }
        let onRow = l.horizontal || l.sameLine
        return max(l.content.maxX - (onRow && l.hasItem ? l.x + spacing : l.content.x), 0)
    }

    /// Height left below the current row of the current panel.
    public var remainingHeight: Float {
        guard let l = layouts.last else { return height }
        return max(l.content.maxY - l.y, 0)
    }

    /// Reserves a `width`×`height` rect for the next widget (`nil` width: the rest of the row). In a
    /// horizontal panel a widget that does not fit the row starts the next one.
    public func place(width: Float? = nil, height: Float) -> UIRect {
        guard var l = layouts.last else { return UIRect(x: 0, y: 0, width: width ?? self.width, height: height) }
        var onRow = (l.horizontal || l.sameLine) && l.hasItem
        if onRow, l.horizontal, let width, l.x + spacing + width > l.content.maxX + 0.5 {
            l.y = l.rowBottom + spacing
            onRow = false
        }
        let x = onRow ? l.x + spacing : l.content.x
        let y = onRow ? l.rowTop : l.y
        let w = width ?? max(l.content.maxX - x, 0)
        let rect = UIRect(x: x, y: y, width: w, height: height)
        l.x = rect.maxX
        l.rowTop = y
        l.rowBottom = onRow ? max(l.rowBottom, rect.maxY) : rect.maxY
        l.y = l.rowBottom + spacing
        l.sameLine = false
        l.hasItem = true
        layouts[layouts.count - 1] = l
        return rect
    }
}

extension UIContext {
    // MARK: - Groups

    /// Starts a column of widgets inside a `width`×`height` rect of the current layout (`nil` width: the
    /// rest of the row); pair with `endGroup`. Use `sameLine` before it to put groups side by side.
    @discardableResult
    public func beginGroup(width: Float? = nil, height: Float) -> UIRect {
        let rect = place(width: width, height: height)
        layouts.append(PanelLayout(content: rect, x: rect.x, y: rect.y, rowTop: rect.y, rowBottom: rect.y, horizontal: false))
        return rect
    }

    /// Ends the group.
    public func endGroup() { layouts.removeLast() }
}

import GLRenderer

/// The immediate-mode UI core (Dear ImGui's contract): the caller owns every value a widget edits, a widget
/// returns `true` when pressed or changed, and a frame's result is an `OverlayDrawList` — no GL calls.
///
/// Per frame: `feed(_:)` the window's events, `beginFrame`, call widgets inside panels, `endFrame`.
/// Widget IDs come from labels (text after `##` only identifies) within the `pushID` scope.
/// Main thread only; not thread-safe.
public final class UIContext {
    /// Measures text for layout.
    public let metrics: FontMetrics
    /// Text size in pixels per em.
    public var textSize: Float = 14
    /// Inner margin of panels and widgets, in pixels.
    public var padding: Float = 8
    /// Gap between widgets, in pixels.
    public var spacing: Float = 6
    /// Seconds between two presses that make a double-click.
    public var doubleClickInterval = 0.35

    // MARK: - Input state
    public internal(set) var mouseX: Float = -1
    public internal(set) var mouseY: Float = -1
    /// True while the left button is held.
    public internal(set) var mouseDown = false
    var pressedEdge = false
    var pressPoint: (x: Float, y: Float) = (-1, -1)
    var doublePress = false
    var lastPress: (time: Double, x: Float, y: Float)?
    var scrollDelta: Float = 0
    /// Keys pressed since the last frame, in order.
    public internal(set) var keys: [UIKey] = []
    /// Characters typed since the last frame, in order.
    public internal(set) var characters: [Character] = []
    var dragOwnedByUI: Bool?
    /// True when an event reached the UI since the last frame (its effect shows in the next frame).
    var hadInput = false

    // MARK: - Widget state
    /// The widget under the mouse this frame.
    public internal(set) var hotID: String?
    /// The widget being pressed or dragged.
    public internal(set) var activeID: String?
    /// The widget with keyboard focus (a text field).
    public var focusID: String?
    /// Per-widget values the UI keeps itself (scroll offsets).
    var storage: [String: Float] = [:]
    var idStack: [String] = []

    // MARK: - Frame state
    /// The frame's drawing, in order.
    public internal(set) var drawList = OverlayDrawList()
    public internal(set) var width: Float = 0
    public internal(set) var height: Float = 0
    /// The window area not covered by docked panels (where the 3D view shows).
    public internal(set) var available = UIRect(x: 0, y: 0, width: 0, height: 0)
    var panels: [UIRect] = []
    var lastPanels: [UIRect] = []
    /// Views that take navigation keys while hovered (this frame's and last frame's).
    var keyRegions: [UIRect] = []
    var lastKeyRegions: [UIRect] = []
    var modalOpen = false
    var modalLastFrame = false
    var inModal = false
    var layouts: [PanelLayout] = []
    var dockStack: [UIRect] = []
    /// When true, every interactive widget of a frame is listed in `widgetLog` (for end-to-end tests).
    public var recordsWidgets = false
    /// The interactive widgets of the frame being built (complete after `endFrame`).
    public internal(set) var widgetLog: [UIWidgetRecord] = []
    /// True after a frame that handled input or asked for it: the caller should draw another frame.
    public internal(set) var needsRedraw = false

    public init(metrics: FontMetrics) {
        self.metrics = metrics
    }

    /// Height of one widget row in pixels.
    public var rowHeight: Float { (textSize * metrics.lineHeight).rounded() + 8 }

    /// True when the mouse belongs to the UI: it is over a panel drawn last frame, a UI drag is in progress
    /// or a modal dialog is open. The viewer then keeps mouse events from camera and picking.
    public var wantsMouse: Bool {
        if let owner = dragOwnedByUI { return owner }
        return modalLastFrame || lastPanels.contains { $0.contains(mouseX, mouseY) }
    }

    /// True when keys belong to the UI (a text field has focus or a modal dialog is open).
    public var wantsKeyboard: Bool { focusID != nil || modalLastFrame }

    /// True when `key` belongs to the UI: all keys do while `wantsKeyboard`; navigation keys (arrows, Page
    /// Up/Down, Home, End) also do while the pointer is over a view that asked for them last frame.
    public func wantsKey(_ key: UIKey) -> Bool {
        wantsKeyboard || (key.isNavigation && lastKeyRegions.contains { $0.contains(mouseX, mouseY) })
    }

    // MARK: - Input

    /// Records one event (`time` in seconds, for double-clicks); true when the UI consumed it, so the
    /// viewer should not route it to the scene.
    @discardableResult
    public func feed(_ event: UIEvent, time: Double = 0) -> Bool {
        let taken = record(event, time: time)
        if taken { hadInput = true }
        return taken
    }

    private func record(_ event: UIEvent, time: Double) -> Bool {
        switch event {
        case let .mouseMoved(x, y):
            (mouseX, mouseY) = (x, y)
            return wantsMouse
        case let .mouseButton(pressed, x, y):
            (mouseX, mouseY) = (x, y)
            return button(pressed: pressed, x: x, y: y, time: time)
        case let .scrolled(dy, x, y):
            (mouseX, mouseY) = (x, y)
            guard wantsMouse else { return false }
            scrollDelta += dy
            return true
        case let .key(key):
            guard wantsKey(key) else { return false }
            // Backspace after characters typed in the same frame erases the last of them, keeping typing order.
            if key == .backspace, focusID != nil, !characters.isEmpty {
                characters.removeLast()
            } else {
                keys.append(key)
            }
            return true
        case let .character(c):
            guard wantsKeyboard else { return false }
            characters.append(c)
            return true
        }
    }

    private func button(pressed: Bool, x: Float, y: Float, time: Double) -> Bool {
        if pressed {
            let owned = wantsMouse
            dragOwnedByUI = owned
            mouseDown = true
            guard owned else { return false }
            pressedEdge = true
            pressPoint = (x, y)
            if let last = lastPress, time - last.time <= doubleClickInterval, abs(x - last.x) < 4, abs(y - last.y) < 4 {
                doublePress = true
                lastPress = nil
            } else {
                lastPress = (time, x, y)
            }
            return true
        }
        mouseDown = false
        let owned = dragOwnedByUI ?? false
        dragOwnedByUI = nil
        return owned
    }

    // MARK: - Frame

    /// Starts a frame for a `width`×`height` window; docked panels leave `reserved` pixels free at the bottom.
    public func beginFrame(width: Float, height: Float, reservedBottom: Float = 0) {
        self.width = width
        self.height = height
        drawList = OverlayDrawList()
        available = UIRect(x: 0, y: 0, width: width, height: max(height - reservedBottom, 0))
        panels = []
        keyRegions = []
        layouts = []
        dockStack = []
        modalOpen = false
        hotID = nil
        needsRedraw = false
        widgetLog.removeAll(keepingCapacity: true)
    }

    /// Ends the frame: clears the per-frame input and returns what to draw.
    public func endFrame() -> OverlayDrawList {
        if hadInput { needsRedraw = true }
        hadInput = false
        if !mouseDown { activeID = nil }
        if pressedEdge, hotID == nil, !modalOpen { focusID = nil }
        pressedEdge = false
        doublePress = false
        scrollDelta = 0
        keys = []
        characters = []
        lastPanels = panels
        lastKeyRegions = keyRegions
        modalLastFrame = modalOpen
        return drawList
    }

    /// Asks for another frame (something animates or changed).
    public func requestRedraw() { needsRedraw = true }

    // MARK: - IDs

    /// Scopes the IDs of the widgets until `popID`, so equal labels in different places stay distinct.
    public func pushID(_ id: String) { idStack.append(id) }
    public func popID() { idStack.removeLast() }

    /// The ID of the widget labelled `label` in the current scope.
    public func id(_ label: String) -> String { (idStack + [label]).joined(separator: "/") }

    /// The visible part of a label: the text before `##`.
    public static func displayText(_ label: String) -> String {
        guard let r = label.range(of: "##") else { return label }
        return String(label[..<r.lowerBound])
    }

    // MARK: - Interaction

    /// Whether widgets may react now (only those inside the modal dialog while one is open).
    var canInteract: Bool { !modalLastFrame || inModal }

    /// Hover and press handling of the widget `id` covering `rect`: `pressed` on the frame the left button
    /// went down over it, `held` while it stays down after that.
    func interact(_ id: String, _ rect: UIRect) -> (hovered: Bool, pressed: Bool, held: Bool) {
        guard !isClipped(rect) else { return (false, false, false) }
        record(id, rect)
        guard canInteract else { return (false, false, false) }
        let hovered = rect.contains(mouseX, mouseY) && (activeID == nil || activeID == id)
        if hovered { hotID = id }
        var pressed = false
        if pressedEdge, activeID == nil, rect.contains(pressPoint.x, pressPoint.y) {
            activeID = id
            pressed = true
        }
        return (hovered, pressed, activeID == id && mouseDown)
    }

    /// Takes the wheel steps if the mouse is over `rect` (each consumer gets them once).
    func takeScroll(in rect: UIRect) -> Float {
        guard canInteract, scrollDelta != 0, rect.contains(mouseX, mouseY) else { return 0 }
        defer { scrollDelta = 0 }
        return scrollDelta
    }

    /// True if the press this frame was the second of a double-click.
    public var isDoubleClick: Bool { doublePress }

    /// Takes the keys pressed this frame (the caller handles them; later callers see none).
    public func takeKeys() -> [UIKey] {
        defer { keys = [] }
        return keys
    }

    /// Marks `rect` as a view that takes navigation keys while hovered and takes those pressed this frame
    /// (none unless the pointer is over `rect`).
    public func takeNavigationKeys(in rect: UIRect) -> [UIKey] {
        keyRegions.append(rect)
        guard canInteract, rect.contains(mouseX, mouseY) else { return [] }
        let taken = keys.filter(\.isNavigation)
        keys.removeAll { $0.isNavigation }
        return taken
    }

    // MARK: - Text

    /// `text` shortened with "…" to fit `width` pixels at `size`.
    public func fit(_ text: String, width: Float, size: Float? = nil) -> String {
        let size = size ?? textSize
        guard metrics.width(of: text, size: size) > width else { return text }
        var chars = Array(text)
        while !chars.isEmpty, metrics.width(of: String(chars) + "…", size: size) > width { chars.removeLast() }
        return String(chars) + "…"
    }

    /// Width of `text` in pixels at the UI's text size.
    public func textWidth(_ text: String, size: Float? = nil) -> Float { metrics.width(of: text, size: size ?? textSize) }

    /// Draws `text` vertically centred in `rect`, starting `inset` pixels from its left edge.
    func drawText(_ text: String, in rect: UIRect, inset: Float = 0, color: SIMD4<Float> = UITheme.text, size: Float? = nil) {
        guard !isClipped(rect) else { return }
        let size = size ?? textSize
        let line = size * metrics.lineHeight
        let shown = fit(text, width: rect.width - inset, size: size)
        drawList.text(shown, x: (rect.x + inset).rounded(), y: (rect.y + (rect.height - line) / 2).rounded(), size: size, color: color)
    }

    /// True when `rect` reaches below the current panel's content area (panels do not grow or overlap).
    func isClipped(_ rect: UIRect) -> Bool {
        guard let content = layouts.last?.content else { return false }
        return rect.maxY > content.maxY + 1
    }

    /// Adds a filled rectangle to the frame.
    public func fill(_ rect: UIRect, _ color: SIMD4<Float>) {
        guard !isClipped(rect) else { return }
        drawList.rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height, color: color)
    }
}

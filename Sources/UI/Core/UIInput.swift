/// Input the UI understands, in window coordinates (points, origin top-left). The viewer converts its own
/// window events into these, so the UI is driven by synthetic input in tests.
public enum UIEvent: Equatable, Sendable {
    case mouseMoved(x: Float, y: Float)
    /// The left button went down (`pressed`) or up.
    case mouseButton(pressed: Bool, x: Float, y: Float)
    /// Wheel steps; positive `dy` scrolls content up (toward the start).
    case scrolled(dy: Float, x: Float, y: Float)
    case key(UIKey)
    case character(Character)
}

/// Keys widgets react to (presses only).
public enum UIKey: Equatable, Sendable {
    case up, down, left, right, enter, backspace, escape, tab, pageUp, pageDown, home, end

    /// Arrows, Page Up/Down, Home and End: keys a hovered view may take without keyboard focus.
    public var isNavigation: Bool {
        switch self {
        case .up, .down, .left, .right, .pageUp, .pageDown, .home, .end: true
        case .enter, .backspace, .escape, .tab: false
        }
    }
}

/// A rectangle in window pixels, origin top-left.
public struct UIRect: Equatable, Sendable {
    public var x, y, width, height: Float

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Float { x + width }
    public var maxY: Float { y + height }

    /// True when (`px`, `py`) lies inside.
    public func contains(_ px: Float, _ py: Float) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The rectangle shrunk by `d` on every side.
    public func inset(_ d: Float) -> UIRect {
        UIRect(x: x + d, y: y + d, width: max(width - 2 * d, 0), height: max(height - 2 * d, 0))
    }
}

/// Which window edge a docked panel sits against.
public enum UIEdge: Sendable {
    case top, bottom, left, right
}

/// Colours of the UI (straight RGBA).
public enum UITheme {
    public static let panel = SIMD4<Float>(0.10, 0.11, 0.13, 1)
    public static let title = SIMD4<Float>(0.16, 0.18, 0.22, 1)
    public static let widget = SIMD4<Float>(0.22, 0.24, 0.28, 1)
    public static let widgetHot = SIMD4<Float>(0.30, 0.33, 0.39, 1)
    public static let widgetActive = SIMD4<Float>(0.38, 0.42, 0.50, 1)
    public static let selected = SIMD4<Float>(0.20, 0.42, 0.70, 1)
    public static let text = SIMD4<Float>(0.92, 0.93, 0.95, 1)
    public static let dim = SIMD4<Float>(0.62, 0.65, 0.70, 1)
    public static let accent = SIMD4<Float>(0.98, 0.72, 0.25, 1)
    public static let alert = SIMD4<Float>(0.55, 0.12, 0.12, 1)
    public static let field = SIMD4<Float>(0.06, 0.07, 0.08, 1)
    public static let shade = SIMD4<Float>(0, 0, 0, 0.45)
}

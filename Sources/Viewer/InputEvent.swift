/// A window event in window coordinates (points, origin top-left), free of GLFW types so the input
/// logic can be driven by synthetic events in tests.
public enum InputEvent: Equatable, Sendable {
    case mouseMoved(x: Double, y: Double)
    case mouseButton(MouseButton, pressed: Bool, x: Double, y: Double, time: Double)
    case scrolled(dx: Double, dy: Double, x: Double, y: Double)
    case key(Key, pressed: Bool)
    case character(Character)
    case resized(width: Int, height: Int)
    case filesDropped([String])
}

/// Mouse buttons the viewer distinguishes.
public enum MouseButton: Equatable, Sendable {
    case left, right, middle
}

/// Keys the viewer reacts to.
public enum Key: Equatable, Sendable {
    case escape, home, enter, backspace, tab, up, down, left, right, pageUp, pageDown
    case letter(Character)
    case digit(Int)
    case other(Int32)
}

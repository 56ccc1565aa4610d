import Foundation

/// What an input gesture means to the viewer, in window coordinates.
public enum ViewerAction: Equatable, Sendable {
    /// Left-drag: turn the camera by a pixel delta.
    case orbit(dx: Double, dy: Double)
    /// Right- or middle-drag: move the camera by a pixel delta.
    case pan(dx: Double, dy: Double)
    /// Wheel: zoom by `steps` (positive = in) toward the point under (`x`, `y`).
    case zoom(steps: Double, x: Double, y: Double)
    /// A click without a drag: open or close the layer under the point.
    case click(x: Double, y: Double)
    /// A second click soon after the first at nearly the same place: focus the item.
    case doubleClick(x: Double, y: Double)
    /// The pointer rests at (`x`, `y`): update the tooltip.
    case hover(x: Double, y: Double)
    case key(Key)
    case resize(width: Int, height: Int)
    case open(path: String)
}

/// Turns raw window events into viewer actions: tells drags from clicks, detects double-clicks, keeps
/// track of the pointer. Plain state, no window: tests drive it with synthetic events.
public struct InputRouter {
    /// A press that moves less than this many pixels before its release is a click.
    public var dragThreshold = 4.0
    /// Two clicks closer in time than this (seconds) and space (`dragThreshold`) make a double-click.
    public var doubleClickInterval = 0.35

    private var pressed: MouseButton?
    private var pressPoint = (x: 0.0, y: 0.0)
    private var lastPoint = (x: 0.0, y: 0.0)
    private var dragging = false
    private var lastClick: (time: Double, x: Double, y: Double)?

    public init() {}

    /// True while a button is held and the pointer has moved past the drag threshold.
    public var isDragging: Bool { dragging }

    /// The actions `event` causes.
    public mutating func route(_ event: InputEvent) -> [ViewerAction] {
        switch event {
        case let .mouseMoved(x, y):
            defer { lastPoint = (x, y) }
            guard let button = pressed else { return [.hover(x: x, y: y)] }
            if !dragging, hypot(x - pressPoint.x, y - pressPoint.y) >= dragThreshold { dragging = true }
            guard dragging else { return [] }
            let dx = x - lastPoint.x, dy = y - lastPoint.y
            return button == .left ? [.orbit(dx: dx, dy: dy)] : [.pan(dx: dx, dy: dy)]
        case let .mouseButton(button, isPress, x, y, time):
            return routeButton(button, isPress: isPress, x: x, y: y, time: time)
        case let .scrolled(_, dy, x, y):
            return dy == 0 ? [] : [.zoom(steps: dy, x: x, y: y)]
        case let .key(key, isPress):
            return isPress ? [.key(key)] : []
        case .character:
            return []
        case let .resized(width, height):
            return [.resize(width: width, height: height)]
        case let .filesDropped(paths):
            return paths.first.map { [.open(path: $0)] } ?? []
        }
    }

    private mutating func routeButton(_ button: MouseButton, isPress: Bool, x: Double, y: Double, time: Double) -> [ViewerAction] {
        if isPress {
            guard pressed == nil else { return [] }
            pressed = button
            pressPoint = (x, y)
            lastPoint = (x, y)
            dragging = false
            return []
        }
        guard pressed == button else { return [] }
        pressed = nil
        defer { dragging = false }
        guard !dragging, button == .left else { return [] }
        if let last = lastClick, time - last.time <= doubleClickInterval, hypot(x - last.x, y - last.y) < dragThreshold {
            lastClick = nil
            return [.doubleClick(x: x, y: y)]
        }
        lastClick = (time, x, y)
        return [.click(x: x, y: y)]
    }
}

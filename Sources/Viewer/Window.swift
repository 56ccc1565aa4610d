import CGLFW
import Foundation

/// Why a window could not be made.
public enum WindowError: Error, CustomStringConvertible {
    case noDisplay
    case initFailed(String)
    case creationFailed(String)

    public var description: String {
        switch self {
        case .noDisplay:
            "no display: DISPLAY is not set (use `strata render MODEL --out view.png`, or run the viewer under xvfb-run)"
        case let .initFailed(reason): "cannot start GLFW: \(reason)"
        case let .creationFailed(reason): "cannot open a window with OpenGL 3.3 core: \(reason)"
        }
    }
}

/// A GLFW window with an OpenGL 3.3 core context, collecting its events as `InputEvent`s.
///
/// Main thread only: GLFW requires it. The context is current on the main thread after `init`.
public final class Window {
    let handle: OpaquePointer
    /// Events since the last `pollEvents()`.
    private(set) var events: [InputEvent] = []
    private var lastX = 0.0, lastY = 0.0

    /// Opens a window; `visible: false` makes an invisible one for offscreen rendering.
    public init(title: String, width: Int, height: Int, visible: Bool = true) throws {
        if ProcessInfo.processInfo.environment["DISPLAY"]?.isEmpty ?? true,
           ProcessInfo.processInfo.environment["WAYLAND_DISPLAY"]?.isEmpty ?? true {
            throw WindowError.noDisplay
        }
        try Window.initializeGLFW()
        glfwDefaultWindowHints()
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3)
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3)
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE)
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE)
        glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE)
        glfwWindowHint(GLFW_SAMPLES, 4)
        guard let window = glfwCreateWindow(Int32(width), Int32(height), title, nil, nil) else {
            throw WindowError.creationFailed(Window.lastError())
        }
        handle = window
        glfwMakeContextCurrent(window)
        glfwSwapInterval(1)
        glfwSetWindowUserPointer(window, Unmanaged.passUnretained(self).toOpaque())
        installCallbacks()
    }

    deinit { glfwDestroyWindow(handle) }

    private static var initialized = false

    private static func initializeGLFW() throws {
        guard !initialized else { return }
        glfwSetErrorCallback { _, message in
            if let message { Window.recentError = String(cString: message) }
        }
        guard glfwInit() == GLFW_TRUE else {
            let reason = lastError()
            if reason.contains("DISPLAY") { throw WindowError.noDisplay }
            throw WindowError.initFailed(reason)
        }
        initialized = true
    }

    nonisolated(unsafe) private static var recentError = ""

    private static func lastError() -> String { recentError.isEmpty ? "unknown error" : recentError }

    /// The window title.
    public var title: String {
        get { "" }
        set { glfwSetWindowTitle(handle, newValue) }
    }

    /// True once the user asked to close the window.
    public var shouldClose: Bool {
        get { glfwWindowShouldClose(handle) == GLFW_TRUE }
        set { glfwSetWindowShouldClose(handle, newValue ? GLFW_TRUE : GLFW_FALSE) }
    }

    /// Size in screen coordinates (what mouse positions use).
    public var size: (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        glfwGetWindowSize(handle, &w, &h)
        return (Int(w), Int(h))
    }

    /// Size of the framebuffer in pixels (what the viewport uses; differs on high-DPI screens).
    public var framebufferSize: (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        glfwGetFramebufferSize(handle, &w, &h)
        return (Int(w), Int(h))
    }

    /// Seconds since GLFW started.
    public static var time: Double { glfwGetTime() }

    /// Processes pending window-system events and returns them. `wait` blocks up to that many seconds
    /// for the first one.
    public func pollEvents(wait: Double = 0) -> [InputEvent] {
        events.removeAll(keepingCapacity: true)
        if wait > 0 { glfwWaitEventsTimeout(wait) } else { glfwPollEvents() }
        return events
    }

    /// Shows the frame just drawn.
    public func swapBuffers() { glfwSwapBuffers(handle) }

    /// Wakes a `pollEvents(wait:)` from another thread (a finished background job).
    public static func wake() { glfwPostEmptyEvent() }

    // MARK: - Callbacks

    fileprivate static func from(_ window: OpaquePointer?) -> Window? {
        guard let window, let p = glfwGetWindowUserPointer(window) else { return nil }
        return Unmanaged<Window>.fromOpaque(p).takeUnretainedValue()
    }

    private func installCallbacks() {
        glfwSetCursorPosCallback(handle) { w, x, y in
            guard let me = Window.from(w) else { return }
            me.lastX = x
            me.lastY = y
            me.events.append(.mouseMoved(x: x, y: y))
        }
        glfwSetMouseButtonCallback(handle) { w, button, action, _ in
            guard let me = Window.from(w) else { return }
            let b: MouseButton = button == GLFW_MOUSE_BUTTON_RIGHT ? .right : button == GLFW_MOUSE_BUTTON_MIDDLE ? .middle : .left
            me.events.append(.mouseButton(b, pressed: action == GLFW_PRESS, x: me.lastX, y: me.lastY, time: glfwGetTime()))
        }
        glfwSetScrollCallback(handle) { w, dx, dy in
            guard let me = Window.from(w) else { return }
            me.events.append(.scrolled(dx: dx, dy: dy, x: me.lastX, y: me.lastY))
        }
        glfwSetKeyCallback(handle) { w, key, _, action, _ in
            guard let me = Window.from(w), action != GLFW_REPEAT || Window.repeats(key) else { return }
            me.events.append(.key(Window.key(from: key), pressed: action != GLFW_RELEASE))
        }
        glfwSetCharCallback(handle) { w, codepoint in
            guard let me = Window.from(w), let scalar = Unicode.Scalar(codepoint) else { return }
            me.events.append(.character(Character(scalar)))
        }
        glfwSetFramebufferSizeCallback(handle) { w, width, height in
            Window.from(w)?.events.append(.resized(width: Int(width), height: Int(height)))
        }
        glfwSetDropCallback(handle) { w, count, paths in
            guard let me = Window.from(w), let paths else { return }
            let list = (0..<Int(count)).compactMap { paths[$0].map { String(cString: $0) } }
            me.events.append(.filesDropped(list))
        }
    }

    private static func repeats(_ key: Int32) -> Bool {
        [GLFW_KEY_UP, GLFW_KEY_DOWN, GLFW_KEY_LEFT, GLFW_KEY_RIGHT, GLFW_KEY_BACKSPACE, GLFW_KEY_PAGE_UP, GLFW_KEY_PAGE_DOWN].contains(key)
    }

    static func key(from code: Int32) -> Key {
        switch code {
        case GLFW_KEY_ESCAPE: .escape
        case GLFW_KEY_HOME: .home
        case GLFW_KEY_ENTER, GLFW_KEY_KP_ENTER: .enter
        case GLFW_KEY_BACKSPACE: .backspace
        case GLFW_KEY_TAB: .tab
        case GLFW_KEY_UP: .up
        case GLFW_KEY_DOWN: .down
        case GLFW_KEY_LEFT: .left
        case GLFW_KEY_RIGHT: .right
        case GLFW_KEY_PAGE_UP: .pageUp
        case GLFW_KEY_PAGE_DOWN: .pageDown
        case GLFW_KEY_0...GLFW_KEY_9: .digit(Int(code - GLFW_KEY_0))
        case GLFW_KEY_A...GLFW_KEY_Z: .letter(Character(Unicode.Scalar(UInt8(code - GLFW_KEY_A) + 97)))
        default: .other(code)
        }
    }
}

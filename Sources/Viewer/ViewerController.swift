import Foundation
import GLRenderer
import Scene
import StrataCore

/// The viewer's state and what each action does to it: camera, open layers, view mode, colours,
/// selection, hover. No window and no GL, so tests drive it with synthetic actions.
public final class ViewerController {
    public private(set) var document: ViewerDocument?
    public private(set) var scene: Scene
    public var viewState = ViewState()
    public private(set) var camera = Camera()
    /// Window size in screen coordinates (mouse positions use them).
    public private(set) var viewport = (width: 1280.0, height: 800.0)
    /// What is under the pointer.
    public private(set) var hover: Hit?
    public private(set) var pointer: (x: Double, y: Double)?
    /// True after Esc with nothing left to close.
    public private(set) var wantsQuit = false
    /// Something to tell the user (a load error, a stopped run).
    public var message: String?
    /// Files the user asked to open (dropped on the window); the app loads them off the main thread.
    public private(set) var pendingOpen: String?

    /// Radians of orbit per pixel dragged.
    let orbitSpeed: Float = 0.008
    /// Zoom per wheel step (the distance shrinks by e^-zoomStep).
    let zoomStep: Float = 0.15

    public init() {
        scene = Scene(items: [], camera: Camera(), bounds: AABB.empty)
    }

    /// Shows `document`, keeping `expanded` layers open (the default start opens the first convolution).
    public func show(_ document: ViewerDocument, expanded: Set<String> = []) {
        self.document = document
        viewState.expanded = expanded
        viewState.selection = nil
        message = document.runProblem ?? document.note
        rebuild()
        resetCamera()
    }

    /// Shows `document` with a stored view (a snapshot's): its open layers, colours and camera.
    public func show(_ document: ViewerDocument, viewState: ViewState, camera: Camera?) {
        self.document = document
        self.viewState = viewState
        message = document.runProblem ?? document.note
        rebuild()
        if let camera {
            self.camera = camera
            self.camera.snap()
        } else {
            resetCamera()
        }
    }

    /// Shows a re-run of the open model (Run, a live input): the camera, open layers and selection stay.
    /// The selection is dropped only when its layer is gone.
    public func replaceDocumentKeepingView(_ document: ViewerDocument) {
        self.document = document
        if let selection = viewState.selection, !document.model.graph.layers.contains(where: { $0.name == selection.layer }) {
            viewState.selection = nil
        }
        message = document.runProblem ?? document.note
        rebuild()
    }

    /// Drops the open model: an empty scene, nothing open or selected.
    public func clear() {
        document = nil
        viewState.expanded = []
        viewState.selection = nil
        hover = nil
        message = nil
        scene = Scene(items: [], camera: Camera(), bounds: AABB.empty)
    }

    /// Takes the file the user asked to open, if any.
    public func takePendingOpen() -> String? {
        defer { pendingOpen = nil }
        return pendingOpen
    }

    /// Rebuilds the scene after the document or the view state changed; the camera stays where it is.
    public func rebuild() {
        guard let document else { return }
        scene = SceneBuilder.build(graph: document.model.graph, types: document.types,
                                   trace: document.activations, viewState: viewState)
        if let pointer { updateHover(x: pointer.x, y: pointer.y) }
    }

    /// Frames the whole network from the default angle, filling the window.
    public func resetCamera() {
        camera = homeCamera()
    }

    /// The default view: the scene's angles, fitted tightly to the window's aspect.
    func homeCamera() -> Camera {
        var home = scene.camera
        CameraFit.fit(&home, to: scene, aspect: Float(viewport.width / viewport.height))
        return home
    }

    /// Advances camera transitions by `dt` seconds; true while something still moves.
    public func update(dt: Double) -> Bool { camera.update(dt: Float(dt)) }

    // MARK: - Actions

    /// Applies one action.
    public func apply(_ action: ViewerAction) {
        switch action {
        case let .orbit(dx, dy):
            camera.orbit(dYaw: -Float(dx) * orbitSpeed, dPitch: Float(dy) * orbitSpeed)
            camera.snap()
        case let .pan(dx, dy):
            camera.pan(dx: Float(dx / viewport.height), dy: Float(-dy / viewport.height))
            camera.snap()
        case let .zoom(steps, x, y):
            camera.zoom(by: Float(steps) * zoomStep, toward: pointOfInterest(x: x, y: y))
        case let .click(x, y):
            click(x: x, y: y)
        case let .doubleClick(x, y):
            if let hit = hitTest(x: x, y: y) { camera.focus(on: focusItem(for: hit)) }
        case let .hover(x, y):
            pointer = (x, y)
            updateHover(x: x, y: y)
        case let .key(key):
            press(key)
        case let .resize(width, height):
            viewport = (Double(max(width, 1)), Double(max(height, 1)))
        case let .open(path):
            pendingOpen = path
        }
    }

    /// Sets the window size (screen coordinates) without an event, e.g. at start.
    public func setViewport(width: Int, height: Int) {
        viewport = (Double(max(width, 1)), Double(max(height, 1)))
    }

    /// The front-most item under window point (`x`, `y`).
    public func hitTest(x: Double, y: Double) -> Hit? {
        let ray = camera.ray(throughPixel: (Float(x), Float(y)), viewport: (Float(viewport.width), Float(viewport.height)))
        return scene.hitTest(ray, activations: document?.activations)
    }

    private func click(x: Double, y: Double) {
        guard let hit = hitTest(x: x, y: y) else {
            viewState.selection = nil
            rebuild()
            return
        }
        if hit.kind == .block {
            viewState.expanded.insert(hit.layer)
            viewState.selection = Selection(layer: hit.layer)
        } else if viewState.selection?.layer == hit.layer, viewState.selection?.channel == hit.channel, hit.channel != nil {
            viewState.expanded.remove(hit.layer)
            viewState.selection = Selection(layer: hit.layer)
        } else {
            viewState.selection = Selection(layer: hit.layer, channel: hit.channel, cell: hit.cell)
        }
        rebuild()
    }

    /// The item a double-click focuses: the whole open layer (all its maps) or the block.
    private func focusItem(for hit: Hit) -> SceneItem {
        let parts = scene.items.filter { $0.layer == hit.layer && $0.kind != .label && $0.kind != .edge }
        var item = scene.items[hit.itemIndex]
        let box = parts.reduce(AABB.empty) { $0.union($1.bounds) }
        if !box.isEmpty {
            item.position = box.center
            item.size = box.size
        }
        return item
    }

    /// The world point zooming moves toward: what is under the cursor, else the point at the target's depth.
    private func pointOfInterest(x: Double, y: Double) -> Vec3 {
        let ray = camera.ray(throughPixel: (Float(x), Float(y)), viewport: (Float(viewport.width), Float(viewport.height)))
        if let hit = scene.hitTest(ray, activations: nil) { return hit.point }
        let depth = (camera.goal.target - ray.origin).dot(camera.forward) / max(ray.direction.normalized.dot(camera.forward), 1e-4)
        return ray.origin + ray.direction.normalized * depth
    }

    private func updateHover(x: Double, y: Double) {
        hover = hitTest(x: x, y: y)
    }

    private func press(_ key: Key) {
        switch key {
        case .letter("f"):
            var framed = camera
            CameraFit.fit(&framed, to: scene, aspect: Float(viewport.width / viewport.height))
            camera.goal = framed.goal
        case .home:
            camera.goal = homeCamera().goal
        case let .digit(d) where (1...ViewMode.allCases.count).contains(d):
            viewState.mode = ViewMode.allCases[d - 1]
            viewState.modeOverrides = [:]
            rebuild()
        case .letter("c"):
            viewState.colormap = Self.next(after: viewState.colormap)
            rebuild()
        case .letter("r"):
            viewState.rangeMode = Self.next(after: viewState.rangeMode)
            rebuild()
        case .escape:
            if viewState.selection != nil {
                viewState.selection = nil
                rebuild()
            } else if message != nil {
                message = nil
            } else {
                wantsQuit = true
            }
        default:
            break
        }
    }

    static func next<T: CaseIterable & Equatable>(after value: T) -> T {
        let all = Array(T.allCases)
        let i = all.firstIndex(of: value) ?? 0
        return all[(i + 1) % all.count]
    }
}

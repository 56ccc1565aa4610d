import Foundation
import GLRenderer
import Runtime
import Scene
import StrataCore
import UI

/// The desktop viewer: a window, the frame loop, background loading and running.
///
/// Main thread only (GLFW and the GL context live there). `STRATA_FRAME_LOG=FILE` appends one JSON line per
/// drawn frame (time, camera, open layers, item counts, the UI's widgets) for end-to-end tests.
public final class ViewerApp {
    let window: Window
    let renderer: SceneRenderer
    let uiState: ViewerUIState
    public let controller = ViewerController()
    var router = InputRouter()
    var job: BackgroundJob<ViewerDocument>?
    let inputState = ViewerInputState()
    /// True when the job re-runs the open model: its result keeps the camera, open layers and selection.
    var jobKeepsView = false
    var expandOnLoad: Set<String> = []
    var openFirstConvolution = false
    var needsDraw = true
    var frameIndex = 0
    let frameLog: FileHandle?

    /// Opens the window (throws `WindowError.noDisplay` without a display).
    public init(title: String = "Strata", width: Int = 1280, height: Int = 800) throws {
        window = try Window(title: title, width: width, height: height)
        renderer = try SceneRenderer()
        uiState = ViewerUIState(metrics: renderer.fontMetrics)
        let size = window.size
        controller.setViewport(width: size.width, height: size.height)
        frameLog = ProcessInfo.processInfo.environment["STRATA_FRAME_LOG"].flatMap { path in
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }
        uiState.ui.recordsWidgets = frameLog != nil
    }

    /// Loads `path` in the background and runs it on `inputs`; the current model stays until it is ready.
    /// `expand` names layers to open; `openFirstConvolution` opens the first convolution (the default start).
    public func open(path: String, inputs: [InputSpec], options: PreprocessOptions = PreprocessOptions(),
                     expand: Set<String> = [], openFirstConvolution: Bool = false) {
        job?.cancel()
        uiState.inputs = inputs
        expandOnLoad = expand
        self.openFirstConvolution = openFirstConvolution
        jobKeepsView = false
        let name = URL(fileURLWithPath: path).lastPathComponent
        job = BackgroundJob(title: "Loading \(name)", onFinish: { Window.wake() }) { progress, cancelled in
            try ViewerDocument.open(path: path, inputs: inputs, options: options, onProgress: progress, isCancelled: cancelled)
        }
    }

    /// Runs the frame loop until the window closes or the user quits.
    public func run() throws {
        var last = Window.time
        while !window.shouldClose, !controller.wantsQuit {
            let busy = job != nil || inputState.isBusy
            let events = window.pollEvents(wait: needsDraw || busy ? 0 : 0.1)
            handle(events)
            finishJobIfDone()
            let now = Window.time
            if controller.update(dt: now - last) { needsDraw = true }
            last = now
            if needsDraw || busy {
                try drawFrame()
                // The UI shows the effect of this frame's clicks and keys in the next frame.
                needsDraw = uiState.ui.needsRedraw
            }
        }
    }

    private func handle(_ events: [InputEvent]) {
        for event in events {
            if feedUI(event) {
                needsDraw = true
                continue
            }
            for action in router.route(event) {
                controller.apply(action)
                if case let .key(key) = action, key == .letter("p") { screenshotRequested = true }
                if case let .key(key) = action, key == .letter("s") { saveSnapshot() }
            }
            needsDraw = true
        }
        if let path = controller.takePendingOpen() {
            // A dropped image or .npy is an input for the open model; anything else is a model to open.
            let isInput = FileBrowser.inputExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
            if isInput, controller.document != nil {
                run(on: .file(path))
            } else {
                openFromUI(path)
            }
        }
    }

    var screenshotRequested = false

    private func finishJobIfDone() {
        guard let job, let result = job.result else { return }
        self.job = nil
        needsDraw = true
        switch result {
        case let .success(document) where jobKeepsView:
            controller.replaceDocumentKeepingView(document)
        case let .success(document):
            var expanded = expandOnLoad
            if openFirstConvolution, let conv = document.model.graph.layers.first(where: { $0.op.contains("Conv") }) {
                expanded.insert(conv.name)
            }
            if let stored = document.storedView {
                controller.show(document, viewState: stored.state, camera: stored.camera)
                restore(ViewerPanels(json: stored.panels))
            } else {
                controller.show(document, expanded: expanded)
            }
            window.title = "\(document.fileName) — Strata"
        case let .failure(error):
            controller.message = String(describing: error)
        }
    }

    private func drawFrame() throws {
        let fb = window.framebufferSize
        guard fb.width > 0, fb.height > 0 else { return }
        var scene = controller.scene
        scene.camera = controller.camera
        let start = Window.time
        RenderedImage.bindWindowFramebuffer()
        // The 3D view is drawn only where last frame's docked panels left room (they rarely move).
        try renderer.draw(scene, activations: controller.document?.activations, width: fb.width, height: fb.height,
                          visible: uiState.ui.viewArea)
        // One overlay pass: the panels, then the tooltip and status line over them.
        var overlay = buildUI(width: fb.width, height: fb.height)
        overlay.append(ViewerOverlay.build(controller, metrics: uiState.ui.metrics,
                                           width: Float(fb.width), height: Float(fb.height)))
        try renderer.drawOverlay(overlay, width: fb.width, height: fb.height)
        if screenshotRequested {
            screenshotRequested = false
            saveScreenshot(width: fb.width, height: fb.height)
        }
        window.swapBuffers()
        logFrame(drawSeconds: Window.time - start)
        frameIndex += 1
    }

    private func saveScreenshot(width: Int, height: Int) {
        let name = ProcessInfo.processInfo.environment["STRATA_SCREENSHOT"] ?? "strata-screenshot-\(Int(Date().timeIntervalSince1970)).png"
        do {
            try RenderedImage.captureWindow(width: width, height: height).writePNG(to: name)
            controller.message = nil
        } catch {
            controller.message = "screenshot: \(error)"
        }
    }

    private func logFrame(drawSeconds: Double) {
        guard let frameLog else { return }
        let pose = controller.camera.pose
        let maps = controller.scene.items.filter { $0.kind != .block && $0.kind != .edge && $0.kind != .label }.count
        let viewport = (width: Float(controller.viewport.width), height: Float(controller.viewport.height))
        let blocks: [[String: Any]] = controller.scene.items.filter { $0.kind == .block }.compactMap { item in
            controller.camera.project(item.position, viewport: viewport).map { ["layer": item.layer, "x": $0.x, "y": $0.y] }
        }
        var entry: [String: Any] = [
            "frame": frameIndex, "t": Window.time, "draw_ms": drawSeconds * 1000, "yaw": pose.yaw, "pitch": pose.pitch, "distance": pose.distance,
            "expanded": controller.viewState.expanded.sorted(), "feature_map_items": maps,
            "model": controller.document?.fileName ?? "", "hover": controller.hover?.layer ?? "", "blocks": blocks,
            "widgets": loggedWidgets(), "busy": job != nil, "message": controller.message ?? "",
        ]
        entry.merge(inputLogFields()) { $1 }
        if let data = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) {
            frameLog.write(data + Data("\n".utf8))
        }
    }
}

extension ViewerApp {
    /// The UI's widgets of the last frame in window coordinates (what xdotool clicks).
    func loggedWidgets() -> [[String: Any]] {
        let size = window.size, fb = window.framebufferSize
        let sx = Float(max(size.width, 1)) / Float(max(fb.width, 1)), sy = Float(max(size.height, 1)) / Float(max(fb.height, 1))
        return uiState.ui.widgetLog.map { w in
            ["id": w.id, "text": w.text, "x": w.rect.x * sx, "y": w.rect.y * sy, "w": w.rect.width * sx, "h": w.rect.height * sy]
        }
    }

    /// `S`: saves the open model, its input, every activation and the view as a `.strata` snapshot.
    func saveSnapshot() {
        guard let url = controller.defaultSnapshotURL() else { return }
        do {
            try controller.saveSnapshot(to: url, panels: panels.json)
            controller.message = "saved snapshot \(url.path)"
        } catch {
            controller.message = "snapshot: \(error)"
        }
    }
}

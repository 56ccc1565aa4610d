import Foundation
import GLRenderer
import Runtime
import Scene
import UI

/// The viewer's panels: toolbar, file dialog, message banner, inspector, output chart, model library, help.
extension ViewerApp {
    /// Feeds `event` to the UI; true when the UI took it, so it must not reach the camera and picking.
    func feedUI(_ event: InputEvent) -> Bool {
        let ui = uiState.ui
        let size = window.size, fb = window.framebufferSize
        let sx = Float(fb.width) / Float(max(size.width, 1)), sy = Float(fb.height) / Float(max(size.height, 1))
        switch event {
        case let .mouseMoved(x, y):
            return ui.feed(.mouseMoved(x: Float(x) * sx, y: Float(y) * sy))
        case let .mouseButton(button, pressed, x, y, time):
            let point = (x: Float(x) * sx, y: Float(y) * sy)
            guard button == .left else { return ui.wantsMouse && pressed }
            return ui.feed(.mouseButton(pressed: pressed, x: point.x, y: point.y), time: time)
        case let .scrolled(_, dy, x, y):
            return ui.feed(.scrolled(dy: Float(dy), x: Float(x) * sx, y: Float(y) * sy))
        case let .key(key, pressed):
            guard ui.wantsKeyboard else { return false }
            if pressed, let mapped = Self.uiKey(key) { ui.feed(.key(mapped)) }
            return true
        case let .character(c):
            return ui.feed(.character(c))
        case .resized, .filesDropped:
            return false
        }
    }

    static func uiKey(_ key: Key) -> UIKey? {
        switch key {
        case .escape: .escape
        case .home: .home
        case .enter: .enter
        case .backspace: .backspace
        case .tab: .tab
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        case .pageUp: .pageUp
        case .pageDown: .pageDown
        case .letter, .digit, .other: nil
        }
    }

    /// Builds this frame's UI for a `width`×`height` framebuffer and carries out what the user did.
    func buildUI(width: Int, height: Int) -> OverlayDrawList {
        let ui = uiState.ui
        ui.beginFrame(width: Float(width), height: Float(height), reservedBottom: ViewerOverlay.textSize * 3 + 6)
        var viewState = controller.viewState
        let outcome = Toolbar.draw(ui, viewState: &viewState, hasModel: controller.document != nil, busy: job != nil)
        if outcome.viewChanged {
            controller.viewState = viewState
            controller.rebuild()
        }
        messageBanner(ui)
        if uiState.showLibrary { libraryPanel(ui) }
        rightColumn(ui)
        if let command = outcome.command { perform(command) }
        modals(ui)
        return ui.endFrame()
    }

    private func modals(_ ui: UIContext) {
        if var dialog = uiState.dialog {
            let result = dialog.draw(ui)
            uiState.dialog = dialog
            switch result {
            case let .open(path)?: openFromUI(path)
            case .cancel?: closeDialog()
            case nil: break
            }
        }
        if uiState.showHelp, HelpSheet.draw(ui) { uiState.showHelp = false }
    }

    private func messageBanner(_ ui: UIContext) {
        guard let message = controller.message else { return }
        let lines = ui.wrap(message, width: min(ui.available.width, 900) - 120)
        let lineHeight = ui.textSize * ui.metrics.lineHeight + 2
        let rect = ui.beginPanel(nil, edge: .top, size: Float(lines.count) * lineHeight + 2 * ui.padding + 2)
        ui.fill(rect, UITheme.alert)
        for line in lines { ui.label(line) }
        ui.sameLine()
        if ui.button("Dismiss") { controller.message = nil }
        ui.endPanel()
    }

    private func rightColumn(_ ui: UIContext) {
        guard let document = controller.document else { return }
        let output = uiState.output(of: document)
        let summary = controller.viewState.selection.flatMap { uiState.summary(of: $0.layer, in: document) }
        guard output != nil || summary != nil else { return }
        ui.beginDock(.right, size: 340)
        if let output { OutputPanel.draw(ui, summary: output) }
        if let summary, let selection = controller.viewState.selection {
            InspectorPanel.draw(ui, summary: summary, colormap: controller.viewState.colormap,
                                range: rangeInUse(layer: selection.layer, channel: selection.channel),
                                edge: .top, size: ui.available.height)
        }
        ui.endDock()
    }

    /// The colormap range the scene uses for `layer` (its channel's slab if one is selected).
    func rangeInUse(layer: String, channel: Int?) -> (lo: Float, hi: Float)? {
        let refs = controller.scene.items.filter { $0.layer == layer }.compactMap(\.tensor)
        let ref = refs.first { $0.channel == channel } ?? refs.first
        return ref.map { ($0.lo, $0.hi) }
    }

    // MARK: - Commands

    func perform(_ command: ToolbarCommand) {
        switch command {
        case .open:
            uiState.dialog = FileDialog(folder: uiState.dialogFolder, recent: uiState.recent, bookmarks: uiState.bookmarks)
        case .run:
            runCurrentModel()
        case .clear:
            job?.cancel()
            job = nil
            controller.clear()
            window.title = "Strata"
        case .library:
            uiState.showLibrary.toggle()
        case .screenshot:
            screenshotRequested = true
        case .help:
            uiState.showHelp = true
        }
        needsDraw = true
    }

    /// Opens `path` chosen in the UI with the inputs that suit it and remembers it as recent.
    func openFromUI(_ path: String, inputs: [InputSpec]? = nil) {
        if let dialog = uiState.dialog { uiState.dialogFolder = dialog.browser.folder }
        uiState.dialog = nil
        uiState.ui.focusID = nil
        if let problem = uiState.recent.add(path) { controller.message = problem }
        let specs = inputs ?? uiState.defaultInputs(for: path)
        uiState.inputs = specs
        open(path: path, inputs: specs, openFirstConvolution: true)
    }

    private func closeDialog() {
        if let dialog = uiState.dialog { uiState.dialogFolder = dialog.browser.folder }
        uiState.dialog = nil
        uiState.ui.focusID = nil
    }

    /// Runs the open model again on `inputs` (default: the last ones) off the main thread; open layers stay open.
    func runCurrentModel(inputs: [InputSpec]? = nil) {
        guard let document = controller.document else { return }
        job?.cancel()
        let specs = inputs ?? (uiState.inputs.isEmpty ? uiState.defaultInputs(for: document.model.path) : uiState.inputs)
        uiState.inputs = specs
        expandOnLoad = controller.viewState.expanded
        openFirstConvolution = false
        job = BackgroundJob(title: "Running \(document.fileName)", onFinish: { Window.wake() }) { progress, cancelled in
            var copy = document
            try copy.run(inputs: specs, onProgress: progress, isCancelled: cancelled)
            return copy
        }
    }
}

import Foundation
import GLRenderer
import Runtime
import Scene
import Snapshot
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
            let mapped = Self.uiKey(key)
            guard ui.wantsKeyboard || mapped.map(ui.wantsKey) == true else { return false }
            if pressed, let mapped { ui.feed(.key(mapped)) }
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
        let outcome = Toolbar.draw(ui, viewState: &viewState, hasModel: controller.document != nil, busy: job != nil,
                                   canSnapshot: controller.document?.trace != nil)
        if outcome.viewChanged {
            controller.viewState = viewState
            controller.rebuild()
        }
        messageBanner(ui)
        if uiState.showLibrary { libraryPanel(ui) }
        inputPanel(ui)
        rightColumn(ui)
        if let command = outcome.command { perform(command) }
        progressPanel(ui)
        modals(ui)
        inputModals(ui)
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

    /// The loading or running job's progress bar with its Cancel button, centred over the view.
    private func progressPanel(_ ui: UIContext) {
        guard let job else { return }
        let width = min(ui.available.width - 40, 440)
        let height = ui.titleHeight + 2 * ui.rowHeight + 3 * ui.padding
        let rect = UIRect(x: ((ui.width - width) / 2).rounded(), y: ((ui.height - height) / 2).rounded(), width: width, height: height)
        ui.beginPanel(job.title + "##progress", rect: rect)
        ui.progress(job.progress, text: "\(Int(job.progress * 100)) %")
        if ui.button("Cancel") { cancelJob() }
        ui.endPanel()
        ui.requestRedraw()
    }

    /// Stops the running job; the model already shown stays.
    func cancelJob() {
        guard let job else { return }
        job.cancel()
        self.job = nil
        controller.message = "\(job.title) cancelled"
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
            let tensor = inspectorTensor(for: selection, in: document)
            InspectorPanel.draw(ui, summary: summary, tensor: tensor, state: &uiState.inspector.state,
                                colormap: controller.viewState.colormap,
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
            if openWithSystemDialog(.models) { break }
            uiState.dialog = FileDialog(folder: uiState.dialogFolder, recent: uiState.recent, bookmarks: uiState.bookmarks)
            uiState.dialog?.settings = inputState.dialogSettings
        case .run:
            runCurrentModel()
        case .clear:
            job?.cancel()
            job = nil
            controller.clear()
            window.title = "Strata"
        case .library:
            uiState.showLibrary.toggle()
        case .snapshot:
            saveSnapshot()
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
        let specs = inputs ?? (SnapshotFile.isSnapshot(path) ? [] : uiState.defaultInputs(for: path))
        uiState.inputs = specs
        open(path: path, inputs: specs, openFirstConvolution: true)
    }

    private func closeDialog() {
        if let dialog = uiState.dialog { uiState.dialogFolder = dialog.browser.folder }
        uiState.dialog = nil
        uiState.ui.focusID = nil
    }

    /// Runs the open model again off the main thread on `inputs`, else on the last ones, else on the tensors
    /// the document holds (a snapshot's stored inputs); the camera, open layers and selection stay.
    func runCurrentModel(inputs: [InputSpec]? = nil) {
        guard let document = controller.document else { return }
        job?.cancel()
        let specs = inputs ?? uiState.inputs
        let stored = specs.isEmpty ? document.inputTensors : [:]
        let chosen = specs.isEmpty && stored.isEmpty ? uiState.defaultInputs(for: document.model.path) : specs
        uiState.inputs = chosen
        jobKeepsView = true
        job = BackgroundJob(title: "Running \(document.fileName)", onFinish: { Window.wake() }) { progress, cancelled in
            var copy = document
            if chosen.isEmpty {
                try copy.run(tensors: stored, onProgress: progress, isCancelled: cancelled)
            } else {
                try copy.run(inputs: chosen, onProgress: progress, isCancelled: cancelled)
            }
            return copy
        }
    }
}

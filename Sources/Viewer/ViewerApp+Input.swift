import Foundation
import Runtime
import UI

/// The input panel's glue: samples, random, an input file, the drawing pad with its live runs, and the system
/// file dialog.
extension ViewerApp {
    // MARK: - Panel

    /// Draws the input panel while a model is open and carries out its action; polls live runs and the
    /// system dialog first, so their results show in this frame.
    func inputPanel(_ ui: UIContext) {
        pollLiveRun()
        pollSystemDialog()
        guard let document = controller.document else {
            inputState.panel.padRect = nil
            return
        }
        inputState.syncPad(with: document)
        let action = InputPanel.draw(ui, state: &inputState.panel, samples: samples(for: document.model.path),
                                     current: document.inputDescription, enabled: job == nil)
        switch action {
        case let .sample(path)?: run(on: .file(path))
        case .random?: run(on: .random)
        case .pickFile?: openInputPicker()
        case .padChanged?: submitPadRun()
        case nil: break
        }
        startLiveRunIfIdle()
    }

    private func samples(for path: String) -> [InputSample] {
        if let cached = inputState.samples, cached.path == path { return cached.list }
        let list = uiState.library.flatMap { library in
            library.entry(forModelAt: path).map { InputSample.samples(of: $0, in: library) }
        } ?? []
        inputState.samples = (path, list)
        return list
    }

    /// The input file dialog (drawn after the other panels: it is modal).
    func inputModals(_ ui: UIContext) {
        guard var dialog = inputState.dialog else { return }
        let result = dialog.draw(ui)
        inputState.dialog = dialog
        guard let result else { return }
        inputState.dialog = nil
        ui.focusID = nil
        if case let .open(path) = result { run(on: .file(path)) }
    }

    /// Runs the open model on `source` (with the progress box); a drawing waiting to run is dropped, so it
    /// does not replace this input when the run ends.
    func run(on source: InputSpec.Source) {
        inputState.scheduler.dropPending()
        runCurrentModel(inputs: [InputSpec(name: nil, source: source)])
    }

    // MARK: - Live runs

    /// Queues a run on the pad's picture (the latest picture replaces any that waits).
    private func submitPadRun() {
        do {
            guard let tensors = try inputState.padTensors() else { return }
            inputState.scheduler.submit(tensors)
            inputState.liveSubmitted += 1
        } catch {
            controller.message = "drawing: \(error)"
        }
    }

    /// Starts the waiting live run when nothing else runs. No progress box: the picture just updates.
    private func startLiveRunIfIdle() {
        guard job == nil, let document = controller.document, let tensors = inputState.scheduler.take() else { return }
        inputState.liveJob = BackgroundJob(title: "Live run", onFinish: { Window.wake() }) { _, cancelled in
            var copy = document
            try copy.run(tensors: tensors, isCancelled: cancelled)
            copy.inputDescription = "drawing"
            return copy
        }
    }

    /// Shows a finished live run, keeping camera, open layers and selection. A result is dropped when a load
    /// or run job started meanwhile or another model is open.
    private func pollLiveRun() {
        guard let live = inputState.liveJob, let result = live.result else { return }
        inputState.liveJob = nil
        inputState.scheduler.finish()
        uiState.ui.requestRedraw()
        switch result {
        case let .success(document):
            guard job == nil, document.model.path == controller.document?.model.path else { return }
            controller.replaceDocumentKeepingView(document)
            uiState.inputs = []  // Run re-uses the drawn tensors the document now holds.
            inputState.liveRunsShown += 1
        case let .failure(error):
            controller.message = "drawing: \(error)"
        }
    }

    // MARK: - Files

    /// Chooses an input file: in the system dialog when set so, else in the in-app dialog.
    private func openInputPicker() {
        if openWithSystemDialog(.inputs) { return }
        inputState.dialog = inAppInputDialog()
    }

    private func inAppInputDialog() -> FileDialog {
        let samplesFolder = uiState.library.map { $0.folder.appendingPathComponent("samples").path }
        var marks = uiState.bookmarks
        if let samplesFolder { marks.insert((name: "Bundled samples", path: samplesFolder), at: 0) }
        let noRecent = RecentFiles(storeURL: URL(fileURLWithPath: "/dev/null"))
        var dialog = FileDialog(folder: samplesFolder ?? uiState.dialogFolder, recent: noRecent, bookmarks: marks)
        dialog.kind = .inputs
        dialog.settings = inputState.dialogSettings
        return dialog
    }

    /// Opens the system file dialog for `kind` when one is installed and the setting asks for it; true when
    /// it is (or already was) showing. The window keeps drawing while it is open.
    func openWithSystemDialog(_ kind: FileDialogKind) -> Bool {
        guard let native = inputState.native, ViewerSettings().useSystemDialog else { return false }
        guard inputState.nativeJob == nil else { return true }
        let folder = uiState.dialogFolder
        inputState.nativeKind = kind
        inputState.nativeJob = BackgroundJob(title: kind.title, onFinish: { Window.wake() }) { _, _ in
            try native.choose(kind: kind, folder: folder)
        }
        return true
    }

    /// Acts on the system dialog's answer: open the model or run on the input; Cancel changes nothing. A
    /// dialog that fails shows why and the in-app dialog opens instead.
    private func pollSystemDialog() {
        guard let native = inputState.nativeJob, let result = native.result else { return }
        inputState.nativeJob = nil
        uiState.ui.requestRedraw()
        let kind = inputState.nativeKind
        switch result {
        case let .success(path?):
            if kind == .models {
                uiState.dialogFolder = URL(fileURLWithPath: path).deletingLastPathComponent().path
                openFromUI(path)
            } else {
                run(on: .file(path))
            }
        case .success(nil):
            break
        case let .failure(error):
            controller.message = String(describing: error)
            if kind == .inputs {
                inputState.dialog = inAppInputDialog()
            } else {
                uiState.dialog = FileDialog(folder: uiState.dialogFolder, recent: uiState.recent, bookmarks: uiState.bookmarks)
                uiState.dialog?.settings = inputState.dialogSettings
            }
        }
    }

    // MARK: - Frame log

    /// The pad's rect in window coordinates and the output's top class and probability, for the frame log.
    func inputLogFields() -> [String: Any] {
        var fields: [String: Any] = [
            "live_runs": inputState.liveRunsShown, "live_submitted": inputState.liveSubmitted,
            "live_busy": inputState.liveJob != nil || inputState.scheduler.pending != nil,
        ]
        if let r = inputState.panel.padRect {
            let size = window.size, fb = window.framebufferSize
            let sx = Float(max(size.width, 1)) / Float(max(fb.width, 1)), sy = Float(max(size.height, 1)) / Float(max(fb.height, 1))
            fields["pad"] = [r.x * sx, r.y * sy, r.width * sx, r.height * sy]
        }
        if let document = controller.document, let output = uiState.output(of: document) {
            fields["top"] = output.labels[output.top]
            fields["top_p"] = output.probabilities[output.top]
        }
        return fields
    }
}

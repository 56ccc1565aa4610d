import Foundation
import Runtime
import StrataCore
import UI

/// What the input panel keeps between frames: the drawing pad, the live runs it starts, the input file
/// dialog and a system file dialog in progress. Main thread only.
final class ViewerInputState {
    var panel = InputPanelState()
    /// Which model input the pad was made for (`path|input|H×W×C`); a new one gives a blank pad.
    var padKey: String?
    /// The graph input the pad feeds.
    var padInput: ValueInfo?
    var scheduler = LiveRunScheduler<[String: Tensor]>()
    var liveJob: BackgroundJob<ViewerDocument>?
    /// Pictures submitted and live runs shown so far (logged for end-to-end tests: fewer runs than pictures
    /// means coalescing worked).
    var liveSubmitted = 0
    var liveRunsShown = 0
    /// The in-app dialog choosing an input file, while open.
    var dialog: FileDialog?
    /// The system dialog, when zenity or kdialog is installed.
    let native = NativeFileDialog.find()
    var nativeJob: BackgroundJob<String?>?
    var nativeKind = FileDialogKind.models
    /// The bundled samples of the open model, cached by model path.
    var samples: (path: String, list: [InputSample])?

    /// True while a live run or the system dialog is pending: the frame loop keeps polling.
    var isBusy: Bool { liveJob != nil || nativeJob != nil || scheduler.pending != nil }

    /// The settings when a system dialog can be used (the file dialog then shows "Use system dialog").
    var dialogSettings: ViewerSettings? { native == nil ? nil : ViewerSettings() }

    /// The one graph input a pad can feed, with its picture geometry; nil when there are several inputs or
    /// the input is not a picture.
    static func padInput(of graph: Graph) -> (input: ValueInfo, geometry: ImageGeometry)? {
        let feeds = graph.inputs.filter { graph.initializers[$0.name] == nil }
        guard feeds.count == 1, let geometry = ImageInput.geometry(of: feeds[0]) else { return nil }
        return (feeds[0], geometry)
    }

    /// Makes the pad match `document`'s input: a blank pad at its size when the model or input changed, none
    /// when the input is not a picture.
    func syncPad(with document: ViewerDocument) {
        let found = Self.padInput(of: document.model.graph)
        let key = found.map { "\(document.model.path)|\($0.input.name)|\($0.geometry.height)x\($0.geometry.width)x\($0.geometry.channels)" }
        guard key != padKey else { return }
        padKey = key
        padInput = found?.input
        panel.pad = found.map { DrawingPad(width: $0.geometry.width, height: $0.geometry.height) }
        scheduler.dropPending()
    }

    /// The pad's picture as the model's input tensors.
    func padTensors() throws -> [String: Tensor]? {
        guard let pad = panel.pad, let input = padInput else { return nil }
        let t = try ImageInput.tensor(fromGrey: pad.cells, width: pad.width, height: pad.height, for: input)
        return [input.name: t]
    }
}

import Foundation
import GLRenderer
import ModelLoading
import Runtime
import Scene
import UI

/// What the viewer's UI keeps between frames: the UI context, open dialogs, the inputs of the last run and
/// caches of per-selection summaries. Main thread only.
final class ViewerUIState {
    let ui: UIContext
    /// The file dialog while it is open.
    var dialog: FileDialog?
    /// The folder the file dialog opens in next time.
    var dialogFolder: String
    var recent = RecentFiles()
    var showHelp = false
    var showLibrary = false
    /// The inspector's heat map and table.
    let inspector = InspectorViews()
    /// The inputs the current model was last run on (Run reuses them).
    var inputs: [InputSpec] = []
    let library: ModelLibrary?
    private var summaryCache: (key: String, summary: LayerSummary)?
    private var outputCache: (key: String, summary: OutputSummary?)?

    init(metrics: FontMetrics) {
        ui = UIContext(metrics: metrics)
        let assets = AssetLocator.assetsFolder()
        library = assets.flatMap(ModelLibrary.init(folder:))
        dialogFolder = assets?.path ?? FileManager.default.currentDirectoryPath
    }

    /// Folders offered under "Places" in the file dialog.
    var bookmarks: [(name: String, path: String)] {
        var marks = [(name: "Home", path: FileManager.default.homeDirectoryForCurrentUser.path)]
        if let folder = library?.folder { marks.append((name: "Bundled models", path: folder.path)) }
        marks.append((name: "Working folder", path: FileManager.default.currentDirectoryPath))
        return marks
    }

    /// Inputs for a model opened from the UI: the first bundled sample for a bundled model, else random.
    func defaultInputs(for path: String) -> [InputSpec] {
        if let entry = library?.entry(forModelAt: path), let sample = entry.samples.first, let library {
            return [InputSpec(name: nil, source: .file(library.path(sample)))]
        }
        return [InputSpec(name: nil, source: .random)]
    }

    /// The inspector's summary of `layer` in `document`, computed once per layer and run.
    func summary(of layerName: String, in document: ViewerDocument) -> LayerSummary? {
        guard let layer = document.model.graph.layers.first(where: { $0.name == layerName }) else { return nil }
        let run = document.trace.map { "\($0.totalSeconds)|\($0.order.count)" } ?? (document.activations == nil ? "none" : "stored")
        let key = "\(layerName)|\(document.model.path)|\(run)"
        if let cached = summaryCache, cached.key == key { return cached.summary }
        let summary = LayerSummary(layer: layer, graph: document.model.graph, types: document.types,
                                   activations: document.activations)
        summaryCache = (key, summary)
        return summary
    }

    /// The final output as class probabilities, once per run (or per snapshot: its stored activations).
    func output(of document: ViewerDocument) -> OutputSummary? {
        guard let activations = document.activations else { return nil }
        let run = document.trace.map { "\($0.totalSeconds)|\($0.order.count)" } ?? "stored"
        let key = "\(document.model.path)|\(run)"
        if let cached = outputCache, cached.key == key { return cached.summary }
        let labels = library.flatMap { lib in lib.entry(forModelAt: document.model.path).flatMap { lib.labels(for: $0) } }
        let summary = document.model.graph.outputs.first.flatMap { activations.tensor(named: $0.name) }
            .flatMap { OutputSummary(output: $0, labels: labels) }
        outputCache = (key, summary)
        return summary
    }
}

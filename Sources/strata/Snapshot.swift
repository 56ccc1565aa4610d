import ArgumentParser
import Foundation
import GLRenderer
import ModelLoading
import Runtime
import Scene
import Snapshot
import StrataCore

/// `strata snapshot MODEL [--input INPUT]... [--expand LAYER]... [--view MODE] [--colormap NAME] [--half]
/// --out FILE.strata`: runs the model and saves model, inputs, every activation and the view in one file.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Run a model and save it with its input, every activation and the view as a .strata file.")

    @Argument(help: "Model file (.onnx, .h5, .keras).") var model: String
    @Option(name: .customLong("input"), help: "Input: PATH or NAME=PATH (.npy, .png, 'random', 'zeros'); repeatable.")
    var inputs: [String] = []
    @Option(help: "Snapshot file to write (.strata).") var out: String
    @Option(name: .customLong("expand"), help: "Open a layer (layer or value name); repeatable.")
    var expanded: [String] = []
    @Option(help: "View mode of open layers: \(ViewMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var view: String = ViewMode.grid.rawValue
    @Option(help: "Colormap: \(ColormapName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var colormap: String = ColormapName.standard.rawValue
    @Flag(help: "Store activations as float16 (half the size, less precision).") var half = false
    @Option(help: "Image size WxH the stored camera is framed for (as 'strata render --size').")
    var size: String = "1280x800"
    @Option(help: "Camera azimuth in degrees.") var azimuth: Float?
    @Option(help: "Camera elevation in degrees.") var elevation: Float?
    @Option(help: "Camera distance from the scene's centre.") var distance: Float?

    func validate() throws {
        guard SnapshotFile.isSnapshot(out) else { throw ValidationError("--out must name a .strata file") }
    }

    func run() throws {
        try withFailureReporting {
            let (width, height) = try Render.parseSize(size)
            let url = URL(fileURLWithPath: model)
            let loaded = try ModelLoader.load(contentsOf: url)
            guard !inputs.isEmpty else { throw ValidationErrorMessage("a snapshot needs an input: give --input") }
            let specs = inputs.map(InputSpec.init(parsing:))
            let feeds = try InputLoader.tensors(for: loaded.graph, specs: specs)
            let (trace, problem) = try SnapshotInputs.runKeepingPartial(loaded, feeds: feeds)
            let state = try SnapshotInputs.viewState(for: loaded.graph, file: url.lastPathComponent,
                                                     expanded: expanded, view: view, colormap: colormap)
            var scene = SceneBuilder.build(graph: loaded.graph, types: ShapeInference.infer(loaded.graph),
                                           trace: TraceActivationSource(trace), viewState: state)
            SnapshotInputs.applyCamera(to: &scene, aspect: Float(width) / Float(height),
                                       azimuth: azimuth, elevation: elevation, distance: distance)
            let draft = SnapshotDraft(modelFile: url, model: loaded, trace: trace, inputs: feeds,
                                      view: SnapshotView(camera: scene.camera, state: state), half: half,
                                      strataVersion: StrataVersion.current,
                                      inputDescription: inputs.joined(separator: ", "), runProblem: problem?.description)
            let outURL = URL(fileURLWithPath: out)
            try SnapshotFile.write(draft, to: outURL)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: outURL.path)[.size] as? Int) ?? 0
            print(String(format: "%@: %d activations (%@), %.1f MB", out, trace.order.count,
                         half ? "float16" : "float32", Double(bytes) / 1e6))
            if half, case let overflow = SnapshotFile.halfOverflowCount(trace), overflow > 0 {
                FileHandle.standardError.write(Data("strata: warning: \(overflow) activation values exceed float16's range (±65504) and are stored as ±inf\n".utf8))
            }
            if let problem { throw problem }
        }
    }
}

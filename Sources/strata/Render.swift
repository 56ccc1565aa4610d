import ArgumentParser
import Foundation
import GLRenderer
import ModelLoading
import Runtime
import Scene
import Snapshot
import StrataCore

/// `strata render`: draws one frame of a model offscreen and writes it as a PNG. It needs no display:
/// the frame is drawn through Mesa's surfaceless EGL, so it works the same with or without X.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw one frame of a model offscreen to a PNG file (no display needed).")

    @Argument(help: "Model file (.onnx, .h5, .keras), or a .strata snapshot (drawn as saved).") var model: String
    @Option(name: .customLong("input"), help: "Input: PATH or NAME=PATH (.npy, .png, 'random', 'zeros').")
    var inputs: [String] = []
    @Option(help: "PNG file to write.") var out: String
    @Option(help: "Image size WxH in pixels.") var size: String = "1280x800"
    @Option(name: .customLong("expand"), help: "Open a layer (layer or value name); repeatable.")
    var expanded: [String] = []
    @Option(help: "View mode of open layers: \(ViewMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var view: String = ViewMode.grid.rawValue
    @Option(help: "Colormap: \(ColormapName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var colormap: String = ColormapName.standard.rawValue
    // Unconditional parsing lets negative angles through (`--azimuth -30`).
    @Option(parsing: .unconditional, help: "Camera azimuth in degrees (0 looks along -z, from the front).")
    var azimuth: Float?
    @Option(parsing: .unconditional, help: "Camera elevation in degrees (positive looks from above).")
    var elevation: Float?
    @Option(help: "Camera distance from the scene's centre, in scene units.") var distance: Float?

    func run() throws {
        try withFailureReporting {
            if SnapshotFile.isSnapshot(model) { return try SnapshotInputs.render(self) }
            let (width, height) = try Self.parseSize(size)
            let url = URL(fileURLWithPath: model)
            let loaded = try ModelLoader.load(contentsOf: url)
            let (activations, partialRun) = try RenderInputs.activations(for: loaded, inputs: inputs)
            let state = try SnapshotInputs.viewState(for: loaded.graph, file: url.lastPathComponent, expanded: expanded,
                                                     view: view, colormap: colormap)
            var scene = SceneBuilder.build(graph: loaded.graph, types: ShapeInference.infer(loaded.graph),
                                           trace: activations, viewState: state)
            applyCameraOptions(to: &scene, aspect: Float(width) / Float(height))
            let renderer = try OffscreenRenderer()
            let image = try renderer.render(scene, activations: activations, width: width, height: height)
            try image.writePNG(to: out)
            if let partialRun { throw partialRun }
        }
    }

    /// Azimuth and elevation replace the framed camera's angles; the camera is then fitted to the image,
    /// and `distance` (if given) replaces the fitted distance.
    private func applyCameraOptions(to scene: inout Scene, aspect: Float) {
        var camera = scene.camera
        if let azimuth { camera.goal.yaw = azimuth * .pi / 180 }
        if let elevation {
            camera.goal.pitch = min(max(elevation * .pi / 180, -Camera.pitchLimit), Camera.pitchLimit)
        }
        camera.snap()
        CameraFit.fit(&camera, to: scene, aspect: aspect)
        if let distance {
            camera.goal.distance = min(max(distance, Camera.distanceRange.lowerBound), Camera.distanceRange.upperBound)
            camera.snap()
        }
        scene.camera = camera
    }

    /// Parses `WxH` (e.g. `1280x800`), each side 1...16384.
    static func parseSize(_ text: String) throws -> (Int, Int) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...16384).contains(w),
              (1...16384).contains(h) else {
            throw ValidationError("--size '\(text)' is not WxH with sides from 1 to 16384 (e.g. 1280x800)")
        }
        return (w, h)
    }
}

/// Turns `--input` options into the activations a scene shows: the model's run on those inputs.
enum RenderInputs {
    /// No inputs: nil (blocks show shapes only). A run that stops at an unsupported operator still shows what
    /// was computed; its failure is returned so the command can report it after drawing.
    static func activations(for model: Model, inputs: [String]) throws -> (ActivationSource?, RunFailure?) {
        guard !inputs.isEmpty else { return (nil, nil) }
        let feeds = try InputLoader.tensors(for: model.graph, specs: inputs.map(InputSpec.init(parsing:)))
        do {
            return (TraceActivations(try Executor.run(model, inputs: feeds)), nil)
        } catch let failure as RunFailure {
            guard case .unsupportedOperator = failure.error else { throw failure }
            return (TraceActivations(failure.trace), failure)
        }
    }
}

/// A run's trace as the scene's activation source.
struct TraceActivations: ActivationSource {
    let trace: Trace

    init(_ trace: Trace) { self.trace = trace }

    func tensor(named name: String) -> Tensor? { trace.tensor(named: name) }

    func stats(named name: String) -> ActivationStats? {
        guard let s = trace.stats(named: name), s.finiteCount > 0 else { return nil }
        return ActivationStats(min: s.min, max: s.max, mean: s.mean, std: s.std)
    }
}

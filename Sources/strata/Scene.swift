import ArgumentParser
import Foundation
import ModelLoading
import Runtime
import Scene
import StrataCore

/// `strata scene MODEL [--input INPUT]... [--expand LAYER]... [--view MODE] [--show-shape-ops] [--json]`: builds
/// the renderer-independent scene and prints it (items and camera).
struct SceneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scene",
        abstract: "Print the 3D scene of a model: its items (blocks, slabs, edges, ...) and camera.")

    @Argument(help: "Model file (.onnx, .h5, .keras).") var model: String
    @Option(name: .customLong("input"), help: "Input: PATH or NAME=PATH (.npy, .png, 'random', 'zeros'); repeatable.")
    var inputs: [String] = []
    @Option(
        name: .customLong("expand"), help: "Open a layer (layer or value name, as 'inspect' prints it); repeatable.")
    var expanded: [String] = []
    @Option(help: "View of open layers: \(ViewMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var view: String = ViewMode.grid.rawValue
    @Option(help: "Colormap: \(ColormapName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var colormap: String = ColormapName.standard.rawValue
    @Option(help: "Colour range: \(RangeMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var range: String = RangeMode.layer.rawValue
    @Flag(name: .customLong("show-shape-ops"), help: "Show shape-only subgraphs instead of folding them.")
    var showShapeOps = false
    @Flag(help: "Print the scene as JSON.") var json = false

    func run() throws {
        try withFailureReporting {
            let loaded = try ModelLoader.load(contentsOf: URL(fileURLWithPath: model))
            let graph = loaded.graph
            let state = try viewState(graph: graph, file: URL(fileURLWithPath: model).lastPathComponent)
            var trace: Trace?
            if !inputs.isEmpty {
                let feeds = try InputLoader.tensors(for: graph, specs: inputs.map(InputSpec.init(parsing:)))
                do {
                    trace = try Executor.run(loaded, inputs: feeds)
                } catch let failure as RunFailure {
                    FileHandle.standardError.write(Data("strata: \(failure) (showing what was computed)\n".utf8))
                    trace = failure.trace
                }
            }
            let scene = SceneBuilder.build(
                graph: graph, types: ShapeInference.infer(graph),
                trace: trace.map(TraceActivationSource.init), viewState: state)
            print(json ? try SceneJSON(scene, model: model).encoded() : summary(scene))
        }
    }

    private func viewState(graph: Graph, file: String) throws -> ViewState {
        guard let mode = ViewMode(rawValue: view.lowercased()) else {
            throw ValidationError(
                "unknown view mode '\(view)' (use \(ViewMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let map = ColormapName(rawValue: colormap.lowercased()) else {
            throw ValidationError(
                "unknown colormap '\(colormap)' (use \(ColormapName.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let rangeMode = RangeMode(rawValue: range.lowercased()) else {
            throw ValidationError(
                "unknown range '\(range)' (use \(RangeMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var state = ViewState(mode: mode, colormap: map, rangeMode: rangeMode, showShapeSubgraphs: showShapeOps)
        for name in expanded {
            guard let layer = SceneBuilder.resolveLayer(name, in: graph) else {
                let close = SceneBuilder.closeNames(to: name, in: graph).map { "'\($0)'" }.joined(separator: ", ")
                throw ValidationError("\(file): no layer or value named '\(name)' (close: \(close))")
            }
            state.expanded.insert(layer)
        }
        return state
    }

    private func summary(_ scene: Scene) -> String {
        var counts: [SceneItemKind: Int] = [:]
        for item in scene.items { counts[item.kind, default: 0] += 1 }
        let kinds = SceneItemKind.allCases.compactMap { k in counts[k].map { "\($0) \(k.rawValue)" } }.joined(
            separator: ", ")
        let s = scene.bounds.size
        return """
            \(scene.items.count) items: \(kinds)
            bounds: \(String(format: "%.1f × %.1f × %.1f", s.x, s.y, s.z))
            """
    }
}

/// The JSON `strata scene --json` prints: the items as the scene holds them, the camera with its matrices.
struct SceneJSON: Encodable {
    struct CameraJSON: Encodable {
        var target: Vec3
        var eye: Vec3
        var yaw: Float
        var pitch: Float
        var distance: Float
        var fov_y: Float
        var near: Float
        var far: Float
        /// Column-major view matrix and projection for a 16:10 viewport.
        var view: [Float]
        var projection: [Float]
    }

    var model: String
    var items: [SceneItem]
    var bounds: AABB
    var camera: CameraJSON

    init(_ scene: Scene, model: String) {
        let c = scene.camera
        self.model = model
        items = scene.items
        bounds = scene.bounds
        let clip = c.clipRange
        camera = CameraJSON(
            target: c.pose.target, eye: c.eye, yaw: c.pose.yaw, pitch: c.pose.pitch,
            distance: c.pose.distance, fov_y: c.fovY, near: clip.near, far: clip.far,
            view: c.viewMatrix.m, projection: c.projectionMatrix(aspect: 1.6).m)
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

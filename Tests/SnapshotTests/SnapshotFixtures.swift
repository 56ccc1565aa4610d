import Foundation
import ModelLoading
import Runtime
import Scene
import StrataCore
import ZIPFoundation
@testable import Snapshot

/// A live run of a bundled model and its snapshot, for the tests.
struct LiveRun {
    let modelURL: URL
    let model: Model
    let inputs: [String: Tensor]
    let trace: Trace
    let view: SnapshotView

    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Assets")

    /// `file` from Assets/, run on a seeded random input, its first layer with feature maps open.
    static func make(_ file: String = "digits_cnn.onnx") throws -> LiveRun {
        let url = assets.appendingPathComponent(file)
        let model = try ModelLoader.load(contentsOf: url)
        let inputs = try InputLoader.tensors(for: model.graph, specs: [InputSpec(parsing: "random")],
                                             options: PreprocessOptions(seed: 7))
        let trace = try Executor.run(model, inputs: inputs)
        let conv = model.graph.layers.first { $0.op.lowercased().contains("conv") }!
        var state = ViewState(expanded: [conv.name], mode: .grid, colormap: .viridis, rangeMode: .channel)
        state.selection = Selection(layer: conv.name, channel: 1, cell: Cell(x: 2, y: 3))
        var camera = Camera(pose: CameraPose(target: Vec3(1, 2, 3), yaw: 0.3, pitch: -0.2, distance: 17.25))
        camera.fovY = 0.7
        let panels: JSONValue = .object(["inspector": .object(["open": .bool(true), "width": .number(320)])])
        return LiveRun(modelURL: url, model: model, inputs: inputs, trace: trace,
                       view: SnapshotView(camera: camera, state: state, panels: panels))
    }

    func draft(half: Bool = false) -> SnapshotDraft {
        SnapshotDraft(modelFile: modelURL, model: model, trace: trace, inputs: inputs, view: view, half: half,
                      strataVersion: "test", inputDescription: "random")
    }

    func scene(activations: any ActivationSource, state: ViewState) -> Scene {
        SceneBuilder.build(graph: model.graph, types: ShapeInference.infer(model.graph), trace: activations,
                           viewState: state)
    }
}

/// A fresh folder under the temporary directory, removed by `cleanup`.
struct TempFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-snapshot-tests-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Copies the zip at `source` to `target` entry by entry; `transform` may change or drop (nil) each entry's bytes,
/// and `extra` entries are added at the end.
func rewriteZip(_ source: URL, to target: URL, extra: [(String, Data)] = [],
                transform: (String, Data) -> Data? = { $1 }) throws {
    let input = try Archive(url: source, accessMode: .read)
    let output = try Archive(url: target, accessMode: .create)
    for entry in input {
        var data = Data()
        _ = try input.extract(entry) { data.append($0) }
        guard let changed = transform(entry.path, data) else { continue }
        try add(changed, as: entry.path, to: output, compressed: entry.isCompressed)
    }
    for (path, data) in extra { try add(data, as: path, to: output, compressed: false) }
}

private func add(_ data: Data, as path: String, to archive: Archive, compressed: Bool) throws {
    try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                         compressionMethod: compressed ? .deflate : .none) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
    }
}

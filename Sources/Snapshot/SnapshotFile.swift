import Foundation
import ModelLoading
import Runtime
import Scene
import StrataCore

/// What an opened snapshot holds: the model re-imported from its stored bytes, the stored run and view.
public struct SnapshotContents: Sendable {
    public var info: SnapshotInfo
    /// The model; its `path` is the snapshot's, so titles and messages name the `.strata` file.
    public var model: Model
    public var types: [String: TensorType]
    /// The stored activations (float32 again when stored as float16).
    public var activations: SnapshotActivations
    /// The tensors fed to the run, by graph input name, exactly as stored.
    public var inputs: [String: Tensor]
    public var view: SnapshotView

    /// Activations were stored as float16 (they lost precision).
    public var isHalf: Bool { info.activationsDType == DType.float16.rawValue }
    public var viewState: ViewState { view.state }
    public var camera: Camera? { view.camera }
    /// A line for the viewer's status: how the activations were stored, when it matters.
    public var note: String? { isHalf ? "activations stored as float16" : nil }
    /// The input as the user named it when saving, else the stored input names.
    public var inputDescription: String {
        info.inputDescription ?? info.inputs.map(\.name).joined(separator: ", ")
    }
}

/// `.strata` snapshot files (docs/strata-format.md): a zip with the model, its inputs, every activation
/// and the view.
public enum SnapshotFile {
    /// The file extension, without the dot.
    public static let fileExtension = "strata"
    static let jsonLimit: UInt64 = 64 << 20
    static let modelLimit: UInt64 = 8 << 30
    static let tensorLimit: UInt64 = 8 << 30

    /// True when `path` names a snapshot (by its extension).
    public static func isSnapshot(_ path: String) -> Bool {
        URL(fileURLWithPath: path).pathExtension.lowercased() == fileExtension
    }

    /// Writes `draft` to `url` (replacing it); nothing else is written except a temporary file beside it.
    public static func write(_ draft: SnapshotDraft, to url: URL) throws {
        try SnapshotWriter.write(draft, to: url)
    }

    /// Opens the snapshot at `url` without running anything; throws `SnapshotError` (or the importer's error
    /// for the stored model) with a one-line message.
    public static func open(_ url: URL) throws -> SnapshotContents {
        let archive = try SafeArchive(url: url)
        let info: SnapshotInfo = try decode(archive, SnapshotLayout.info)
        guard info.formatVersion == SnapshotInfo.currentFormatVersion else {
            throw SnapshotError(file: url.path, problem: "unknown format version \(info.formatVersion) "
                                + "(this build reads version \(SnapshotInfo.currentFormatVersion))")
        }
        var model = try loadModel(info: info, archive: archive)
        model.path = url.path
        let view: SnapshotView = try decode(archive, SnapshotLayout.view)
        let inputs = try readInputs(info: info, archive: archive)
        let activations = try readActivations(archive: archive)
        return SnapshotContents(info: info, model: model, types: ShapeInference.infer(model.graph),
                                activations: activations, inputs: inputs, view: view)
    }

    private static func decode<T: Decodable>(_ archive: SafeArchive, _ path: String) throws -> T {
        let data = try archive.read(path, limit: jsonLimit)
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw SnapshotError(file: archive.file, problem: "'\(path)' is not a valid \(T.self) document")
        }
    }

    /// Checks the stored model's hash, then imports it from a private temporary folder that is removed after.
    private static func loadModel(info: SnapshotInfo, archive: SafeArchive) throws -> Model {
        guard SafeArchive.isPlainName(info.modelFile) else {
            throw SnapshotError(file: archive.file, problem: "model file name '\(info.modelFile)' is not a plain file name")
        }
        let bytes = try archive.read(SnapshotLayout.modelFolder + info.modelFile, limit: modelLimit,
                                     referencedBy: SnapshotLayout.info)
        guard SHA256.hex(of: bytes) == info.modelSHA256.lowercased() else {
            throw SnapshotError(file: archive.file, problem: "model '\(info.modelFile)' does not match its SHA-256 (tampered or corrupt)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelURL = folder.appendingPathComponent(info.modelFile)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            try bytes.write(to: modelURL)
        } catch {
            throw SnapshotError(file: archive.file, problem: "cannot unpack the model into \(folder.path)")
        }
        return try ModelLoader.load(contentsOf: modelURL)
    }

    private static func readInputs(info: SnapshotInfo, archive: SafeArchive) throws -> [String: Tensor] {
        var inputs: [String: Tensor] = [:]
        for entry in info.inputs {
            let path = SnapshotLayout.inputsFolder + entry.file
            guard SafeArchive.isPlainName(entry.file) else {
                throw SnapshotError(file: archive.file, problem: "input file '\(entry.file)' leaves its folder")
            }
            inputs[entry.name] = try tensor(path, in: archive, referencedBy: SnapshotLayout.info)
        }
        return inputs
    }

    private static func readActivations(archive: SafeArchive) throws -> SnapshotActivations {
        let data = try archive.read(SnapshotLayout.manifest, limit: jsonLimit)
        let manifest: ActivationManifest
        do { manifest = try JSONDecoder().decode(ActivationManifest.self, from: data) } catch {
            throw SnapshotError(file: archive.file, problem: "'\(SnapshotLayout.manifest)' is not a valid manifest")
        }
        var tensors: [String: Tensor] = [:]
        for entry in manifest.tensors {
            guard SafeArchive.isPlainName(entry.file) else {
                throw SnapshotError(file: archive.file, problem: "manifest file '\(entry.file)' leaves its folder")
            }
            let t = try tensor(SnapshotLayout.activationsFolder + entry.file, in: archive, referencedBy: SnapshotLayout.manifest)
            guard t.shape == entry.shape else {
                throw SnapshotError(file: archive.file, problem: "'\(entry.file)' has shape \(t.shape), the manifest says \(entry.shape)")
            }
            tensors[entry.name] = t.dtype == .float16 ? widened(t) : t
        }
        return SnapshotActivations(tensors: tensors, order: manifest.tensors.map(\.name))
    }

    private static func tensor(_ path: String, in archive: SafeArchive, referencedBy: String) throws -> Tensor {
        let data = try archive.read(path, limit: tensorLimit, referencedBy: referencedBy)
        do { return try Tensor(npyData: data, fileName: path) } catch {
            throw SnapshotError(file: archive.file, problem: "\(error)")
        }
    }

    /// float16 → float32 in one tight loop (`Tensor.converted` goes through Double per element).
    static func widened(_ half: Tensor) -> Tensor {
        var wide = Tensor(dtype: .float32, shape: half.shape)
        half.withUnsafeBytes { src in
            wide.withMutableFloats { dst in
                let halves = src.bindMemory(to: Float16.self)
                for i in 0..<dst.count { dst[i] = Float(halves[i]) }
            }
        }
        return wide
    }

    /// How many floating-point values of `trace` float16 cannot hold (stored as ±inf with `--half`).
    public static func halfOverflowCount(_ trace: Trace) -> Int {
        var count = 0
        for name in trace.order {
            guard let t = trace.tensor(named: name), t.dtype == .float32 else { continue }
            t.withFloats { values in
                for v in values where v.isFinite && abs(v) > 65504 { count += 1 }
            }
        }
        return count
    }
}

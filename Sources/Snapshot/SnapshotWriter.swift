import Foundation
import Runtime
import Scene
import StrataCore
import ZIPFoundation

/// Everything a snapshot keeps, before it is written.
public struct SnapshotDraft {
    /// The model file as the user opened it; its bytes are stored untouched.
    public var modelFile: URL
    public var model: Model
    /// The run: every recorded value is stored.
    public var trace: Trace
    /// The tensors fed to the run, by graph input name.
    public var inputs: [String: Tensor]
    public var view: SnapshotView
    /// Store floating-point activations as float16.
    public var half: Bool
    public var strataVersion: String
    public var inputDescription: String?
    public var runProblem: String?

    public init(modelFile: URL, model: Model, trace: Trace, inputs: [String: Tensor], view: SnapshotView,
                half: Bool = false, strataVersion: String, inputDescription: String? = nil, runProblem: String? = nil) {
        self.modelFile = modelFile
        self.model = model
        self.trace = trace
        self.inputs = inputs
        self.view = view
        self.half = half
        self.strataVersion = strataVersion
        self.inputDescription = inputDescription
        self.runProblem = runProblem
    }

    /// A draft whose inputs are the graph inputs the trace recorded (what a viewer's Save snapshot has).
    public init(modelFile: URL, model: Model, trace: Trace, view: SnapshotView, half: Bool = false,
                strataVersion: String, inputDescription: String? = nil, runProblem: String? = nil) {
        var inputs: [String: Tensor] = [:]
        for info in model.graph.inputs where model.graph.initializers[info.name] == nil {
            if let t = trace.tensor(named: info.name) { inputs[info.name] = t }
        }
        self.init(modelFile: modelFile, model: model, trace: trace, inputs: inputs, view: view, half: half,
                  strataVersion: strataVersion, inputDescription: inputDescription, runProblem: runProblem)
    }
}

/// Writes `.strata` files: `.npy` and the model stored uncompressed (so opening is a copy), JSON deflated.
enum SnapshotWriter {
    static func write(_ draft: SnapshotDraft, to url: URL) throws {
        let file = url.path
        let modelBytes: Data
        do { modelBytes = try Data(contentsOf: draft.modelFile) } catch {
            throw SnapshotError(file: draft.modelFile.path, problem: "cannot read the model file")
        }
        // Written beside the target and renamed at the end, so a failed save leaves no half file.
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        try? FileManager.default.removeItem(at: partial)
        defer { try? FileManager.default.removeItem(at: partial) }
        let archive: Archive
        do { archive = try Archive(url: partial, accessMode: .create) } catch {
            throw SnapshotError(file: file, problem: "cannot create the file")
        }
        do {
            let modelName = draft.modelFile.lastPathComponent
            try add(modelBytes, as: SnapshotLayout.modelFolder + modelName, to: archive)
            let inputEntries = try addInputs(draft.inputs, to: archive)
            try addActivations(draft, to: archive)
            try addJSON(draft.view, as: SnapshotLayout.view, to: archive)
            let info = SnapshotInfo(
                formatVersion: SnapshotInfo.currentFormatVersion, strataVersion: draft.strataVersion,
                modelFile: modelName, modelSHA256: SHA256.hex(of: modelBytes), modelFormat: draft.model.format.rawValue,
                created: ISO8601DateFormatter().string(from: Date()),
                activationsDType: draft.half ? DType.float16.rawValue : DType.float32.rawValue,
                inputs: inputEntries, inputDescription: draft.inputDescription, runProblem: draft.runProblem)
            try addJSON(info, as: SnapshotLayout.info, to: archive)
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw SnapshotError(file: file, problem: "cannot write: \((error as NSError).localizedDescription)")
        }
        try? FileManager.default.removeItem(at: url)
        do { try FileManager.default.moveItem(at: partial, to: url) } catch {
            throw SnapshotError(file: file, problem: "cannot write: \((error as NSError).localizedDescription)")
        }
    }

    private static func addInputs(_ inputs: [String: Tensor], to archive: Archive) throws -> [SnapshotInfo.InputEntry] {
        var used: Set<String> = []
        return try inputs.keys.sorted().map { name in
            let file = TraceManifest.uniqueFileName(for: name, used: &used)
            try add(inputs[name]!.npyData(), as: SnapshotLayout.inputsFolder + file, to: archive)
            return SnapshotInfo.InputEntry(name: name, file: file)
        }
    }

    private static func addActivations(_ draft: SnapshotDraft, to archive: Archive) throws {
        let stored: DType? = draft.half ? .float16 : nil
        let entries = TraceManifest.entries(draft.trace, model: draft.model, values: draft.trace.order,
                                            storedFloatType: stored)
        for entry in entries {
            guard var tensor = draft.trace.tensor(named: entry.name) else { continue }
            if tensor.dtype.rawValue != entry.dtype, let target = DType(rawValue: entry.dtype) {
                tensor = tensor.converted(to: target)
            }
            try add(tensor.npyData(), as: SnapshotLayout.activationsFolder + entry.file, to: archive)
        }
        let manifest = ActivationManifest(model: draft.modelFile.lastPathComponent, format: draft.model.format.rawValue,
                                          complete: draft.runProblem == nil, error: draft.runProblem, tensors: entries)
        try addJSON(manifest, as: SnapshotLayout.manifest, to: archive)
    }

    private static func addJSON<T: Encodable>(_ value: T, as path: String, to archive: Archive) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try add(try encoder.encode(value), as: path, to: archive, compression: .deflate)
    }

    private static func add(_ data: Data, as path: String, to archive: Archive,
                            compression: CompressionMethod = .none) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: compression, bufferSize: 1 << 20) { position, size in
            let start = Int(position)
            return data.subdata(in: start..<start + size)
        }
    }
}

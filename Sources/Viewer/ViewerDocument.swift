import Foundation
import ModelLoading
import Runtime
import Scene
import Snapshot
import StrataCore

/// An open model with what the viewer needs to draw it: inferred types and, after a run, the trace.
/// A value: built off the main thread, handed to the controller when ready.
public struct ViewerDocument: Sendable {
    public var model: Model
    public var types: [String: TensorType]
    /// The run's (or a snapshot's) activations; nil when the model was not run (blocks show shapes only).
    public var activations: (any ActivationSource)?
    /// The tensors the activations came from, by graph input name (re-used by Run).
    public var inputTensors: [String: Tensor] = [:]
    /// A note to show with the picture (e.g. a snapshot's activations stored as float16).
    public var note: String?
    /// The view a snapshot stored (open layers, colours, camera); nil for a plain model file.
    public var storedView: SnapshotView?
    /// Where the run stopped early (an unsupported operator), as the one-line message.
    public var runProblem: String?
    /// The input the run used, as the user named it.
    public var inputDescription: String?

    /// The run's trace, when the activations come from a run (not from a snapshot).
    public var trace: Trace? { (activations as? TraceActivationSource)?.trace }

    /// The file name, for the window title.
    public var fileName: String { URL(fileURLWithPath: model.path).lastPathComponent }

    /// Loads `path`, infers shapes and, when `inputs` are given, runs the model on them. A run that stops at
    /// an unsupported operator still yields a document (with what was computed) and `runProblem`.
    public static func open(path: String, inputs: [InputSpec], options: PreprocessOptions = PreprocessOptions(),
                            onProgress: ((Double) -> Void)? = nil,
                            isCancelled: (() -> Bool)? = nil) throws -> ViewerDocument {
        if SnapshotFile.isSnapshot(path) { return try openSnapshot(path: path) }
        let model = try ModelLoader.load(contentsOf: URL(fileURLWithPath: path))
        var document = ViewerDocument(model: model, types: ShapeInference.infer(model.graph))
        guard !inputs.isEmpty else { return document }
        try document.run(inputs: inputs, options: options, onProgress: onProgress, isCancelled: isCancelled)
        return document
    }

    /// Opens a `.strata` snapshot: the stored activations and view, without running anything.
    static func openSnapshot(path: String) throws -> ViewerDocument {
        let contents = try SnapshotFile.open(URL(fileURLWithPath: path))
        var document = ViewerDocument(model: contents.model, types: contents.types)
        document.activations = contents.activations
        document.inputTensors = contents.inputs
        document.inputDescription = contents.inputDescription
        document.note = contents.note
        document.storedView = contents.view
        return document
    }

    /// Runs the model on `inputs`, replacing the activations.
    public mutating func run(inputs: [InputSpec], options: PreprocessOptions = PreprocessOptions(),
                             onProgress: ((Double) -> Void)? = nil, isCancelled: (() -> Bool)? = nil) throws {
        let tensors = try InputLoader.tensors(for: model.graph, specs: inputs, options: options)
        inputDescription = inputs.map(Self.describe).joined(separator: ", ")
        try run(tensors: tensors, onProgress: onProgress, isCancelled: isCancelled)
    }

    /// Runs the model on tensors by graph input name (Run on a document re-uses `inputTensors`).
    public mutating func run(tensors: [String: Tensor], onProgress: ((Double) -> Void)? = nil,
                             isCancelled: (() -> Bool)? = nil) throws {
        inputTensors = tensors
        note = nil
        do {
            let trace = try Executor.run(model, inputs: tensors, onNode: { _, index, count in
                onProgress?(Double(index + 1) / Double(max(count, 1)))
            }, isCancelled: isCancelled)
            activations = TraceActivationSource(trace)
            runProblem = nil
        } catch let failure as RunFailure {
            if failure.error == .cancelled { throw failure }
            activations = TraceActivationSource(failure.trace)
            runProblem = failure.description
        }
    }

    private static func describe(_ spec: InputSpec) -> String {
        let source: String
        switch spec.source {
        case let .file(path): source = URL(fileURLWithPath: path).lastPathComponent
        case .random: source = "random"
        case .zeros: source = "zeros"
        }
        return spec.name.map { "\($0)=\(source)" } ?? source
    }
}

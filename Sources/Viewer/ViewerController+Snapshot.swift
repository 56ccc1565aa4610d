import Foundation
import Snapshot
import StrataCore

extension ViewerController {
    /// Saves what is on screen as a `.strata` snapshot: the model file, its input, every activation, the
    /// open layers, colours and camera. Returns the file written; needs a document with a run.
    @discardableResult
    public func saveSnapshot(to url: URL, panels: JSONValue = .object([:])) throws -> URL {
        guard let document else { throw SnapshotSaveError.nothingOpen }
        guard let trace = document.trace else { throw SnapshotSaveError.noRun(document.fileName) }
        let draft = SnapshotDraft(
            modelFile: URL(fileURLWithPath: document.model.path), model: document.model, trace: trace,
            inputs: document.inputTensors, view: SnapshotView(camera: camera, state: viewState, panels: panels),
            strataVersion: StrataVersion.current, inputDescription: document.inputDescription,
            runProblem: document.runProblem)
        try SnapshotFile.write(draft, to: url)
        return url
    }

    /// Where Save snapshot writes by default: `<model>.strata` in the working folder, or `$STRATA_SNAPSHOT`.
    public func defaultSnapshotURL() -> URL? {
        guard let document else { return nil }
        if let path = ProcessInfo.processInfo.environment["STRATA_SNAPSHOT"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let base = URL(fileURLWithPath: document.fileName).deletingPathExtension().lastPathComponent
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(base + ".strata")
    }
}

/// Why Save snapshot could not save.
public enum SnapshotSaveError: Error, CustomStringConvertible {
    case nothingOpen
    case noRun(String)

    public var description: String {
        switch self {
        case .nothingOpen: "no model is open"
        case let .noRun(file): "\(file): a snapshot of a model opened from a snapshot or not run cannot be saved; run it first"
        }
    }
}

import Foundation
import Scene
import StrataCore

/// `snapshot.json`: what the file is and what it was made from (docs/strata-format.md).
public struct SnapshotInfo: Codable, Sendable, Equatable {
    /// The format version this build writes; files with another version are refused.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var strataVersion: String
    /// The model's original file name; its bytes are `model/<modelFile>`.
    public var modelFile: String
    /// SHA-256 of the model bytes, lowercase hex.
    public var modelSHA256: String
    /// The model format (`onnx`, `keras-h5`, ...).
    public var modelFormat: String
    /// ISO 8601, UTC.
    public var created: String
    /// `float32` or `float16`: how activations are stored (inputs are always stored as given).
    public var activationsDType: String
    /// The graph inputs fed to the run, each with its `.npy` under `inputs/`.
    public var inputs: [InputEntry]
    /// How the inputs were named by the user (e.g. `random`, `digit.png`).
    public var inputDescription: String?
    /// Set when the run stopped early: the one-line reason; the activations then hold what was computed.
    public var runProblem: String?

    /// One stored input.
    public struct InputEntry: Codable, Sendable, Equatable {
        public var name: String
        /// Relative to `inputs/`.
        public var file: String
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", strataVersion = "strata_version", modelFile = "model_file"
        case modelSHA256 = "model_sha256", modelFormat = "model_format", created
        case activationsDType = "activations_dtype", inputs, inputDescription = "input_description"
        case runProblem = "run_problem"
    }
}

/// `activations/manifest.json`: the same document `strata run --dump` writes.
public struct ActivationManifest: Codable, Sendable, Equatable {
    /// One recorded tensor.
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        /// Relative to the manifest's folder.
        public var file: String
        public var shape: [Int]
        /// The stored element type.
        public var dtype: String
        /// The layer (as `Graph.layers` names it) whose output this is.
        public var layer: String?
        /// `NCHW`, `NHWC`, `NC` or empty.
        public var layout: String
    }

    public var model: String
    public var format: String
    /// False when the run stopped early; `error` then says why.
    public var complete: Bool
    public var error: String?
    public var tensors: [Entry]

    public init(model: String, format: String, complete: Bool, error: String?, tensors: [Entry]) {
        self.model = model
        self.format = format
        self.complete = complete
        self.error = error
        self.tensors = tensors
    }
}

/// `view.json`: what the user was looking at.
public struct SnapshotView: Codable, Sendable, Equatable {
    /// The camera as drawn; nil lets the reader frame the scene itself.
    public var camera: Camera?
    /// Open layers, view mode, colormap, range mode, selection.
    public var state: ViewState
    /// Free-form state of the UI's panels, kept as written.
    public var panels: JSONValue

    public init(camera: Camera?, state: ViewState, panels: JSONValue = .object([:])) {
        self.camera = camera
        self.state = state
        self.panels = panels
    }
}

/// Any JSON value, for parts of a snapshot that other tools (the UI) own.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(n): try c.encode(n)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}

/// Entry names inside a `.strata` zip.
enum SnapshotLayout {
    static let info = "snapshot.json"
    static let view = "view.json"
    static let modelFolder = "model/"
    static let inputsFolder = "inputs/"
    static let activationsFolder = "activations/"
    static let manifest = "activations/manifest.json"
}

import Foundation

/// Why a model file could not be opened. `description` is the one-line message users see: the file,
/// then what is wrong with it.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be read at all (missing, a folder, permissions).
    case unreadable(file: String, reason: String)
    /// The file is not in a format Strata knows.
    case unknownFormat(file: String)
    /// The bytes end before a structure they announce.
    case truncated(file: String, offset: Int)
    /// The file is in a known format but its content is wrong; `problem` says how.
    case invalid(file: String, problem: String)
    /// External data or an archive entry points outside the model's folder.
    case pathOutsideModelFolder(file: String, path: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .unknownFormat(file): "\(file): not an ONNX, Keras .h5 or .keras model"
        case let .truncated(file, offset): "\(file): truncated at byte \(offset)"
        case let .invalid(file, problem): "\(file): \(problem)"
        case let .pathOutsideModelFolder(file, path): "\(file): external data '\(path)' is outside the model's folder"
        }
    }
}

/// A model file format: a cheap sniff separate from a parse that throws.
public protocol ModelImporter: Sendable {
    /// Human-readable format name.
    static var formatName: String { get }
    /// Cheap check on the first bytes and the file name; never throws, never reads the whole file.
    static func matches(prefix: [UInt8], fileName: String) -> Bool
    /// Loads the model at `url`.
    static func load(contentsOf url: URL) throws(ImportError) -> Model
}

import Foundation
import KerasImport
import ONNXImport
import StrataCore

/// Opens a model file of any supported format, choosing the importer by its first bytes and name.
public enum ModelLoader {
    /// The importers, tried in order.
    public static let importers: [any ModelImporter.Type] = [KerasImporter.self, ONNXImporter.self]

    /// File extensions the file dialog offers.
    public static let fileExtensions = ["onnx", "h5", "keras"]

    /// Loads the model at `url`.
    public static func load(contentsOf url: URL) throws(ImportError) -> Model {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw .unreadable(file: url.path, reason: "no such file")
        }
        guard !isFolder.boolValue else { throw .unreadable(file: url.path, reason: "is a folder") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .unreadable(file: url.path, reason: "permission denied")
        }
        let prefix = [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
        try? handle.close()
        let name = url.lastPathComponent
        if let importer = importers.first(where: { $0.matches(prefix: prefix, fileName: name) }) {
            return try importer.load(contentsOf: url)
        }
        // An ONNX file carries no magic number: anything else that is not HDF5 or a zip is tried as protobuf.
        if prefix.starts(with: [0x50, 0x4B]) { throw .unknownFormat(file: url.path) }
        return try ONNXImporter.load(contentsOf: url)
    }
}

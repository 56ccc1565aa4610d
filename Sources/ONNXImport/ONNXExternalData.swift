import Foundation
import StrataCore

/// Reads a tensor's bytes from an external data file (`data_location = EXTERNAL`).
///
/// The `location` is relative to the model's folder and must stay inside it: an absolute path, a path
/// that climbs out with `..`, or a symbolic link that points outside is refused. `offset` and `length`
/// are checked against the file's size before anything is read.
struct ExternalData {
    let file: String
    let folder: URL
    let tensor: String

    /// The file and byte range of exactly `byteCount` bytes described by the `external_data` entries.
    func locate(entries: [Onnx_StringStringEntryProto], byteCount: Int) throws(ImportError) -> RawBytes {
        var fields: [String: String] = [:]
        for entry in entries { fields[entry.key] = entry.value }
        guard let location = fields["location"], !location.isEmpty else {
            throw fail("tensor '\(tensor)' is stored externally but has no location")
        }
        let url = try resolve(location)
        let offset = try number(fields["offset"], key: "offset") ?? 0
        let length = try number(fields["length"], key: "length") ?? byteCount
        guard length == byteCount else {
            throw fail("tensor '\(tensor)' needs \(byteCount) bytes but its external data length is \(length)")
        }
        let available = try fileSize(url, location: location)
        guard offset <= available, byteCount <= available - offset else {
            throw fail("tensor '\(tensor)': external data '\(location)' has \(available) bytes, too few for offset \(offset) + \(byteCount) bytes")
        }
        return .file(url, offset..<(offset + byteCount))
    }

    /// The file `location` names inside the model's folder, or `pathOutsideModelFolder`.
    func resolve(_ location: String) throws(ImportError) -> URL {
        guard !location.hasPrefix("/"), !location.hasPrefix("~"), !location.contains("\\") else {
            throw .pathOutsideModelFolder(file: file, path: location)
        }
        var depth = 0
        for component in location.split(separator: "/") {
            if component == ".." { depth -= 1 } else if component != "." { depth += 1 }
            if depth < 0 { throw .pathOutsideModelFolder(file: file, path: location) }
        }
        let url = folder.appendingPathComponent(location).standardizedFileURL
        let root = folder.standardizedFileURL.resolvingSymlinksInPath().path
        let target = url.resolvingSymlinksInPath().path
        guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw .pathOutsideModelFolder(file: file, path: location)
        }
        return url
    }

    private func number(_ text: String?, key: String) throws(ImportError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw fail("tensor '\(tensor)' has external data \(key) '\(text)', not a byte count")
        }
        return value
    }

    private func fileSize(_ url: URL, location: String) throws(ImportError) -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw fail("tensor '\(tensor)': external data file '\(location)' does not exist")
        }
        return size
    }

    private func fail(_ problem: String) -> ImportError { .invalid(file: file, problem: problem) }
}

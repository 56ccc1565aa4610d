import Foundation
import StrataCore
import ZIPFoundation

/// A Keras 3 `.keras` archive: `config.json` (the model), `model.weights.h5` (weights, by class-named
/// groups) and `metadata.json`.
///
/// Entries are untrusted: each has a cap, its declared size is checked before inflating, inflating
/// stops as soon as it produces more bytes than declared, and the CRC-32 must match. The weights are
/// inflated into memory and opened as an HDF5 file image (a temporary file would cost more than the
/// whole import on a slow disk).
enum KerasArchive {
    static let configLimit: UInt64 = 64 << 20
    static let metadataLimit: UInt64 = 1 << 20
    static let weightsLimit: UInt64 = 4 << 30

    private struct TooLarge: Error {}

    static func load(_ url: URL) throws(ImportError) -> Model {
        let file = url.path
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw .invalid(file: file, problem: "not a .keras archive (not a readable zip file)")
        }
        guard let configEntry = archive["config.json"] else {
            throw .invalid(file: file, problem: "zip file without 'config.json' (not a .keras archive)")
        }
        let config = try inflate(configEntry, of: archive, limit: configLimit, file: file).data
        let metadata = archive["metadata.json"].flatMap { try? inflate($0, of: archive, limit: metadataLimit, file: file).data }
        let version = metadata.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["keras_version"] as? String
        let spec = try KerasConfigParser.parseModel(json: config, file: file)
        guard let weightsEntry = archive["model.weights.h5"] else {
            throw .invalid(file: file, problem: "archive without 'model.weights.h5'")
        }
        let image = try inflate(weightsEntry, of: archive, limit: weightsLimit, file: file)
        let weights = try HDF5File(image: image, displayName: "\(file): model.weights.h5")
        defer { weights.close() }
        let graph = try KerasGraphBuilder(file: file, dialect: .keras3, store: ArchiveWeightStore(file: weights)).build(spec)
        return Model(graph: graph, format: .kerasArchive, path: file,
                     metadata: ["keras_version": version ?? "unknown", "dialect": "Keras 3"])
    }

    /// An entry into memory, at most `limit` bytes and never more than it declares, CRC-checked.
    private static func inflate(_ entry: Entry, of archive: Archive, limit: UInt64, file: String) throws(ImportError) -> HDF5File.FileImage {
        let declared = entry.uncompressedSize
        guard declared <= limit else {
            let allowed = limit >= 1 << 30 ? "\(limit >> 30) GB" : "\(limit >> 20) MB"
            throw .invalid(file: file, problem: "'\(entry.path)' declares \(declared) bytes, more than the \(allowed) allowed")
        }
        // Reserve what the compressed bytes can honestly hold (deflate tops out near 1032:1), not what a header claims.
        let data = HDF5File.FileImage(capacity: Int(min(declared, entry.compressedSize.multipliedReportingOverflow(by: 1032).partialValue, 256 << 20)))
        var crc = ZipChecksum()
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { chunk in
                guard UInt64(data.count + chunk.count) <= declared else { throw TooLarge() }
                chunk.withUnsafeBytes { crc.add($0); data.append($0) }
            }
        } catch is TooLarge {
            throw .invalid(file: file, problem: "'\(entry.path)' inflates to more than the \(declared) bytes it declares")
        } catch {
            throw .invalid(file: file, problem: "cannot inflate '\(entry.path)' (corrupt or truncated archive)")
        }
        guard UInt64(data.count) == declared, crc.value == entry.checksum else {
            throw .invalid(file: file, problem: "'\(entry.path)' is corrupt (size or CRC-32 differs from the archive's)")
        }
        return data
    }
}

import Foundation
import StrataCore
import ZIPFoundation

/// A `.strata` zip opened for reading, treated as untrusted: every entry path is checked on opening, and
/// every read is bounded by the entry's declared size and a per-call limit, and CRC-checked.
struct SafeArchive {
    /// Most entries a snapshot may hold.
    static let entryLimit = 200_000

    let file: String
    private let archive: Archive
    private let entries: [String: Entry]

    private struct TooLarge: Error {}

    init(url: URL) throws {
        file = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            throw SnapshotError(file: file, problem: "no such file")
        }
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw SnapshotError(file: file, problem: "not a snapshot (not a readable zip file; truncated or corrupt?)")
        }
        var entries: [String: Entry] = [:]
        for entry in archive {
            guard entries.count < Self.entryLimit else {
                throw SnapshotError(file: file, problem: "more than \(Self.entryLimit) entries")
            }
            guard Self.isSafe(entry.path) else {
                throw SnapshotError(file: file, problem: "entry '\(entry.path)' leaves its folder (unsafe path)")
            }
            guard entry.type != .symlink else {
                throw SnapshotError(file: file, problem: "entry '\(entry.path)' is a symbolic link")
            }
            guard entries.updateValue(entry, forKey: entry.path) == nil else {
                throw SnapshotError(file: file, problem: "entry '\(entry.path)' appears twice")
            }
        }
        self.entries = entries
    }

    /// A relative path of plain components: no `..`, `.`, empty parts, backslashes or drive letters.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            if part.isEmpty { if i == parts.count - 1 && i > 0 { continue } else { return false } }
            if part == "." || part == ".." || part.contains(":") { return false }
        }
        return true
    }

    /// A plain file name (one path component).
    static func isPlainName(_ name: String) -> Bool { isSafe(name) && !name.contains("/") }

    func contains(_ path: String) -> Bool { entries[path] != nil }

    /// The bytes of entry `path`: at most `limit` and never more than it declares, CRC-checked.
    func read(_ path: String, limit: UInt64, referencedBy: String? = nil) throws -> Data {
        guard let entry = entries[path] else {
            let by = referencedBy.map { " (named by \($0))" } ?? ""
            throw SnapshotError(file: file, problem: "missing entry '\(path)'\(by)")
        }
        let declared = entry.uncompressedSize
        guard declared <= limit else {
            throw SnapshotError(file: file, problem: "entry '\(path)' declares \(declared) bytes, more than the \(limit) allowed")
        }
        // Reserve only what the compressed bytes can honestly hold (deflate tops out near 1032:1).
        let honest = entry.compressedSize.multipliedReportingOverflow(by: 1032).partialValue
        var data = Data(capacity: Int(min(declared, honest, 256 << 20)))
        var crc = ZipChecksum()
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { chunk in
                guard UInt64(data.count + chunk.count) <= declared else { throw TooLarge() }
                chunk.withUnsafeBytes { crc.add($0) }
                data.append(chunk)
            }
        } catch is TooLarge {
            throw SnapshotError(file: file, problem: "entry '\(path)' inflates to more than the \(declared) bytes it declares")
        } catch {
            throw SnapshotError(file: file, problem: "cannot read entry '\(path)' (corrupt or truncated file)")
        }
        guard UInt64(data.count) == declared, crc.value == entry.checksum else {
            throw SnapshotError(file: file, problem: "entry '\(path)' is corrupt (size or CRC-32 differs from the zip's)")
        }
        return data
    }
}

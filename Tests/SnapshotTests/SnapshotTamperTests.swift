import Foundation
import Testing
@testable import Snapshot

/// Damaged and hostile files are refused with a one-line error naming the file; nothing is written outside.
struct SnapshotTamperTests {
    private func expectRefused(_ url: URL, containing text: String) {
        do {
            _ = try SnapshotFile.open(url)
            Issue.record("\(url.lastPathComponent) was accepted")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(text), "\(message)")
            #expect(message.contains(url.path))
            #expect(!message.contains("\n"))
        }
    }

    private func original(in folder: TempFolder) throws -> URL {
        let url = folder.file("good.strata")
        try SnapshotFile.write(try LiveRun.make().draft(), to: url)
        return url
    }

    @Test func modelHashMismatch() throws {
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let bad = folder.file("hash.strata")
        try rewriteZip(try original(in: folder), to: bad) { path, data in
            guard path.hasPrefix("model/") else { return data }
            var changed = data
            changed[changed.count / 2] ^= 0x01
            return changed
        }
        expectRefused(bad, containing: "does not match its SHA-256")
    }

    @Test func entryLeavingItsFolder() throws {
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let inner = folder.url.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        let good = try original(in: folder)
        for (i, path) in ["../escaped.txt", "/tmp/absolute-\(UUID().uuidString).txt", "activations/../../x.npy"].enumerated() {
            let bad = inner.appendingPathComponent("evil\(i).strata")
            try rewriteZip(good, to: bad, extra: [(path, Data("pwned".utf8))])
            expectRefused(bad, containing: "leaves its folder")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("escaped.txt").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: inner.path).count == 3)
    }

    @Test func manifestNamesAMissingEntry() throws {
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let bad = folder.file("missing.strata")
        var dropped = ""
        try rewriteZip(try original(in: folder), to: bad) { path, data in
            guard dropped.isEmpty, path.hasPrefix("activations/"), path.hasSuffix(".npy") else { return data }
            dropped = path
            return nil
        }
        expectRefused(bad, containing: "missing entry '\(dropped)' (named by activations/manifest.json)")
    }

    @Test func truncatedFile() throws {
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let data = try Data(contentsOf: try original(in: folder))
        for (i, keep) in [data.count / 2, data.count - 10, 100].enumerated() {
            let bad = folder.file("truncated\(i).strata")
            try data.prefix(keep).write(to: bad)
            expectRefused(bad, containing: "not a snapshot")
        }
    }

    @Test func unknownFormatVersion() throws {
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let bad = folder.file("future.strata")
        try rewriteZip(try original(in: folder), to: bad) { path, data in
            guard path == "snapshot.json" else { return data }
            return Data(String(decoding: data, as: UTF8.self)
                .replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 99").utf8)
        }
        expectRefused(bad, containing: "unknown format version 99")
    }

    /// The central directory claims `view.json` is 16 bytes; inflating must stop there.
    @Test func entryInflatingBeyondItsDeclaredSize() throws {
        let folder = try TempFolder()
        defer { folder.cleanup() }
        var data = try Data(contentsOf: try original(in: folder))
        let name = Data("view.json".utf8)
        let signature = Data([0x50, 0x4B, 0x01, 0x02])
        var searchFrom = data.startIndex, patched = false
        while let found = data.range(of: signature, in: searchFrom..<data.endIndex) {
            let header = found.lowerBound
            let nameLength = Int(data[header + 28]) | Int(data[header + 29]) << 8
            if data.subdata(in: header + 46..<header + 46 + nameLength) == name {
                data.replaceSubrange(header + 24..<header + 28, with: [16, 0, 0, 0])
                patched = true
            }
            searchFrom = found.upperBound
        }
        #expect(patched)
        let bad = folder.file("bomb.strata")
        try data.write(to: bad)
        expectRefused(bad, containing: "'view.json' inflates to more than the 16 bytes it declares")
    }

    @Test func safePaths() {
        for path in ["snapshot.json", "model/a.onnx", "activations/", "inputs/x.npy"] { #expect(SafeArchive.isSafe(path)) }
        for path in ["", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", "a\\..\\b", "C:/x", "a/./b"] {
            #expect(!SafeArchive.isSafe(path), "\(path)")
        }
    }
}

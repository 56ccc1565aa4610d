import Foundation

/// The bundled models listed in `Assets/library.json`: file, a line about each, sample inputs, labels.
public struct ModelLibrary: Sendable, Equatable {
    /// One bundled model.
    public struct Entry: Sendable, Equatable, Decodable {
        public var name: String
        public var file: String
        public var format: String
        public var description: String
        public var samples: [String]
        public var labels: String?
        public var accuracy: Double?
        public var params: Int?
    }

    /// The assets folder the paths are relative to.
    public var folder: URL
    public var entries: [Entry]

    /// Reads `library.json` in `folder`; nil when it is missing or malformed.
    public init?(folder: URL) {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("library.json")),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return nil }
        self.folder = folder
        self.entries = entries
    }

    /// Absolute path of a path relative to the assets folder.
    public func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// The entry whose file is `path` (compared by resolved path, else by file name inside the folder).
    public func entry(forModelAt path: String) -> Entry? {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return entries.first { URL(fileURLWithPath: self.path($0.file)).standardizedFileURL.resolvingSymlinksInPath().path == target }
    }

    /// The entry's class labels, read from its labels file.
    public func labels(for entry: Entry) -> [String]? {
        entry.labels.flatMap { OutputSummary.loadLabels(at: folder.appendingPathComponent($0)) }
    }
}

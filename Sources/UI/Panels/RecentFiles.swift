import Foundation

/// The recently opened files, newest first, kept in `~/.config/strata/recent.json`
/// (`$XDG_CONFIG_HOME/strata/recent.json` when set) as a JSON array of paths.
public struct RecentFiles: Sendable, Equatable {
    /// At most this many are kept.
    public static let limit = 12
    public private(set) var paths: [String] = []
    /// Where the list is stored.
    public let storeURL: URL

    /// Loads the list at `storeURL` (an unreadable or malformed file gives an empty list).
    public init(storeURL: URL = RecentFiles.defaultStore()) {
        self.storeURL = storeURL
        if let data = try? Data(contentsOf: storeURL), let list = try? JSONDecoder().decode([String].self, from: data) {
            paths = Array(list.prefix(Self.limit))
        }
    }

    /// The default store location.
    public static func defaultStore(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("strata/recent.json")
    }

    /// Puts `path` first (absolute, without duplicates) and saves; a failed save is returned, not thrown.
    @discardableResult
    public mutating func add(_ path: String) -> String? {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        paths.removeAll { $0 == full }
        paths.insert(full, at: 0)
        if paths.count > Self.limit { paths.removeLast(paths.count - Self.limit) }
        return save()
    }

    private func save() -> String? {
        do {
            try FileManager.default.createDirectory(at: storeURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            let data = try JSONEncoder().encode(paths)
            try data.write(to: storeURL, options: .atomic)
            return nil
        } catch {
            return "\(storeURL.path): cannot save recent files (\((error as NSError).localizedDescription))"
        }
    }
}

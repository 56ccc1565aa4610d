import Foundation

/// The viewer's settings, kept next to the recent files (`~/.config/strata/settings.json`, or under
/// `$XDG_CONFIG_HOME/strata/`) as a JSON object, so they last across runs.
public struct ViewerSettings: Sendable, Equatable {
    /// Open files with the system's dialog (zenity or kdialog) when one is installed; off by default.
    public var useSystemDialog = false
    /// Where the settings are stored.
    public let storeURL: URL

    private struct Stored: Codable {
        var useSystemDialog: Bool?

        enum CodingKeys: String, CodingKey { case useSystemDialog = "use_system_dialog" }
    }

    /// Loads the settings at `storeURL`; a missing, unreadable or malformed file gives the defaults.
    public init(storeURL: URL = ViewerSettings.defaultStore()) {
        self.storeURL = storeURL
        if let data = try? Data(contentsOf: storeURL), let stored = try? JSONDecoder().decode(Stored.self, from: data) {
            useSystemDialog = stored.useSystemDialog ?? false
        }
    }

    /// The default location: `settings.json` in the folder of the recent files list.
    public static func defaultStore(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        RecentFiles.defaultStore(environment: environment).deletingLastPathComponent().appendingPathComponent("settings.json")
    }

    /// Writes the settings; a failed save is returned as a one-line message, not thrown.
    @discardableResult
    public func save() -> String? {
        do {
            try FileManager.default.createDirectory(at: storeURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(Stored(useSystemDialog: useSystemDialog)).write(to: storeURL, options: .atomic)
            return nil
        } catch {
            return "\(storeURL.path): cannot save settings (\((error as NSError).localizedDescription))"
        }
    }
}

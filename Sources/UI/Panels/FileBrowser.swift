import Foundation

/// The file dialog's logic without drawing: a folder's entries (folders first, then files, by name), the
/// extension filter, type-to-filter, selection and keyboard navigation. Tested over temporary folders.
public struct FileBrowser: Sendable {
    /// Which files are listed (folders always are).
    public enum Filter: String, Sendable, CaseIterable {
        case models = "models"
        case all = "all files"
        /// Images and arrays a model runs on (`.png`, `.npy`).
        case inputs = "inputs"
    }

    /// One row of the listing.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var path: String
        public var isFolder: Bool
    }

    /// Extensions of files Strata opens.
    public static let modelExtensions: Set<String> = ["onnx", "h5", "hdf5", "keras", "strata"]
    /// Extensions of files a model runs on.
    public static let inputExtensions: Set<String> = ["png", "npy"]

    /// The folder shown (absolute, standardised).
    public private(set) var folder: String
    public var filter: Filter = .models { didSet { applyFilter() } }
    /// Typed text that narrows the listing (case-insensitive substring of the name).
    public var query = "" { didSet { applyFilter() } }
    /// Everything in the folder, sorted.
    public private(set) var allEntries: [Entry] = []
    /// The rows shown after filter and query.
    public private(set) var entries: [Entry] = []
    /// Index into `entries`.
    public var selection: Int?
    /// Why the folder could not be listed, if it could not.
    public private(set) var error: String?

    /// A browser showing `folder`.
    public init(folder: String) {
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        reload()
    }

    /// The selected entry.
    public var selected: Entry? { selection.flatMap { entries.indices.contains($0) ? entries[$0] : nil } }

    /// Lists the folder again.
    public mutating func reload() {
        let fm = FileManager.default
        do {
            let names = try fm.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
            allEntries = names.map { name in
                let path = (folder as NSString).appendingPathComponent(name)
                var isDir: ObjCBool = false
                _ = fm.fileExists(atPath: path, isDirectory: &isDir)
                return Entry(name: name, path: path, isFolder: isDir.boolValue)
            }.sorted { a, b in
                a.isFolder != b.isFolder ? a.isFolder : a.name.localizedStandardCompare(b.name) == .orderedAscending
            }
            error = nil
        } catch {
            allEntries = []
            self.error = "\(folder): cannot list the folder (\((error as NSError).localizedDescription))"
        }
        applyFilter()
    }

    /// Shows `path` if it is a folder; false (and nothing changes) otherwise.
    @discardableResult
    public mutating func navigate(to path: String) -> Bool {
        var isDir: ObjCBool = false
        let full = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue else { return false }
        let previous = folder
        folder = full
        query = ""
        reload()
        selection = entries.isEmpty ? nil : 0
        if let i = entries.firstIndex(where: { $0.path == previous }) { selection = i }
        return true
    }

    /// Shows the parent folder, selecting the folder we came from.
    public mutating func goUp() {
        let parent = (folder as NSString).deletingLastPathComponent
        guard parent != folder, !parent.isEmpty else { return }
        navigate(to: parent)
    }

    /// Moves the selection by `delta` rows, clamped.
    public mutating func moveSelection(by delta: Int) {
        guard !entries.isEmpty else { return }
        let current = selection ?? (delta > 0 ? -1 : entries.count)
        selection = min(max(current + delta, 0), entries.count - 1)
    }

    /// Opens row `index`: a folder is entered (nil returned), a file's path is returned.
    public mutating func activate(_ index: Int) -> String? {
        guard entries.indices.contains(index) else { return nil }
        let entry = entries[index]
        if entry.isFolder {
            navigate(to: entry.path)
            return nil
        }
        return entry.path
    }

    /// Keyboard navigation: up/down move, Page keys jump, Enter opens, Backspace with no query goes up.
    /// Returns a file's path when Enter chose one.
    public mutating func handle(_ key: UIKey) -> String? {
        switch key {
        case .up: moveSelection(by: -1)
        case .down: moveSelection(by: 1)
        case .pageUp: moveSelection(by: -10)
        case .pageDown: moveSelection(by: 10)
        case .home: selection = entries.isEmpty ? nil : 0
        case .end: selection = entries.isEmpty ? nil : entries.count - 1
        case .enter: return selection.flatMap { activate($0) }
        case .backspace:
            if query.isEmpty { goUp() } else { query.removeLast() }
        default: break
        }
        return nil
    }

    /// True when `name` passes the extension filter.
    public static func isModelFile(_ name: String) -> Bool {
        modelExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    /// True when a file called `name` is listed under `filter`.
    public static func passes(_ name: String, _ filter: Filter) -> Bool {
        switch filter {
        case .all: true
        case .models: isModelFile(name)
        case .inputs: inputExtensions.contains((name as NSString).pathExtension.lowercased())
        }
    }

    private mutating func applyFilter() {
        let q = query.lowercased()
        let previous = selected?.path
        entries = allEntries.filter { entry in
            (entry.isFolder || Self.passes(entry.name, filter))
                && (q.isEmpty || entry.name.lowercased().contains(q))
        }
        selection = previous.flatMap { p in entries.firstIndex { $0.path == p } } ?? (entries.isEmpty ? nil : 0)
    }
}

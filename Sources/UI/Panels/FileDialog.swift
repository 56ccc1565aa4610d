import Foundation

/// What the user did in the file dialog.
public enum FileDialogResult: Equatable, Sendable {
    case open(String)
    case cancel
}

/// The in-app file dialog: path bar, places (bookmarks) and recent files, the folder listing with a
/// models/all filter and type-to-filter, keyboard navigation. The caller owns it and draws it each frame
/// while it is open.
public struct FileDialog: Sendable {
    public var browser: FileBrowser
    public var recent: RecentFiles
    /// Named folders shown under "Places".
    public var bookmarks: [(name: String, path: String)]
    /// The path bar's text.
    public var pathText: String
    /// What the dialog chooses (its title and default filter).
    public var kind: FileDialogKind = .models {
        didSet { browser.filter = kind.browserFilter }
    }
    /// The settings holding "Use system dialog"; the check box shows only when set (a system dialog exists).
    public var settings: ViewerSettings?
    /// Why the settings could not be saved, if they could not.
    public private(set) var settingsProblem: String?
    var scrollTarget: Int?
    var focusFilterNext = true

    public init(folder: String, recent: RecentFiles, bookmarks: [(name: String, path: String)]) {
        browser = FileBrowser(folder: folder)
        self.recent = recent
        self.bookmarks = bookmarks
        pathText = browser.folder
    }

    /// Draws the dialog as a modal; returns the user's decision on the frame it is made.
    public mutating func draw(_ ui: UIContext) -> FileDialogResult? {
        ui.beginModal("\(kind.title)##fileDialog", width: 820, height: 560)
        defer { ui.endModal() }
        var result = pathBar(ui)
        ui.space(2)
        filterRow(ui)
        let listHeight = max(ui.remainingHeight - ui.rowHeight - ui.spacing, ui.rowHeight * 3)
        ui.beginGroup(width: 210, height: listHeight)
        result = result ?? places(ui)
        ui.endGroup()
        ui.sameLine()
        ui.beginGroup(height: listHeight)
        result = result ?? listing(ui)
        ui.endGroup()
        result = result ?? footer(ui)
        result = result ?? keyboard(ui)
        if result == nil, pathText != browser.folder, ui.focusID != ui.id("path") { pathText = browser.folder }
        return result
    }

    private mutating func pathBar(_ ui: UIContext) -> FileDialogResult? {
        if ui.button("Up") { goUp() }
        ui.sameLine()
        _ = ui.textField("path", text: &pathText)
        return nil
    }

    private mutating func filterRow(_ ui: UIContext) {
        var filter = browser.filter
        if ui.choice("Show##filterKind", selection: &filter, options: [kind.browserFilter, .all],
                     title: { $0 == .all ? "all files" : kind.extensions.map { ".\($0)" }.joined(separator: " ") }) {
            browser.filter = filter
        }
        ui.sameLine()
        if focusFilterNext {
            ui.focusID = ui.id("filter")
            focusFilterNext = false
        }
        var query = browser.query
        if ui.textField("filter", text: &query, placeholder: "type to filter") { browser.query = query }
    }

    private mutating func places(_ ui: UIContext) -> FileDialogResult? {
        ui.label("Places", color: UITheme.dim)
        for mark in bookmarks where ui.button("\(mark.name)##place", width: ui.remainingWidth) {
            navigate(mark.path)
        }
        ui.space()
        ui.label("Recent", color: UITheme.dim)
        let names = recent.paths.map { URL(fileURLWithPath: $0).lastPathComponent }
        if let event = ui.list("recent", count: names.count, selection: nil, height: ui.remainingHeight, row: { (names[$0], UITheme.text) }) {
            return .open(recent.paths[event.index])
        }
        return nil
    }

    private mutating func listing(_ ui: UIContext) -> FileDialogResult? {
        let entries = browser.entries
        if let error = browser.error { ui.label(error, color: UITheme.accent) }
        let event = ui.list("files", count: entries.count, selection: browser.selection, height: ui.remainingHeight,
                            scrollTo: scrollTarget) { i in
            entries[i].isFolder ? (entries[i].name + "/", UITheme.accent) : (entries[i].name, UITheme.text)
        }
        scrollTarget = nil
        guard let event else { return nil }
        browser.selection = event.index
        guard event.isDoubleClick else { return nil }
        return open(event.index)
    }

    private mutating func footer(_ ui: UIContext) -> FileDialogResult? {
        let info = browser.selected.map { $0.isFolder ? "folder \($0.name)" : $0.name } ?? "\(browser.entries.count) items"
        ui.label(settingsProblem ?? info, color: settingsProblem == nil ? UITheme.dim : UITheme.accent)
        ui.sameLine()
        var buttons = ui.textWidth("Cancel") + ui.textWidth("Open") + 4 * ui.padding + ui.spacing
        if settings != nil { buttons += ui.rowHeight - 10 + 2 * ui.spacing + ui.textWidth(Self.systemToggle) + 4 }
        _ = ui.place(width: max(ui.remainingWidth - buttons - ui.spacing, 0), height: ui.rowHeight)
        ui.sameLine()
        if var settings {
            if ui.toggle(Self.systemToggle, isOn: &settings.useSystemDialog) { settingsProblem = settings.save() }
            self.settings = settings
            ui.sameLine()
        }
        if ui.button("Cancel") { return .cancel }
        ui.sameLine()
        if ui.button("Open", enabled: browser.selection != nil), let i = browser.selection { return open(i) }
        return nil
    }

    static let systemToggle = "Use system dialog"

    private mutating func keyboard(_ ui: UIContext) -> FileDialogResult? {
        for key in ui.takeKeys() {
            switch key {
            case .escape:
                return .cancel
            case .enter where ui.focusID == ui.id("path"):
                if navigate(pathText) { ui.focusID = ui.id("filter") } else if FileManager.default.fileExists(atPath: pathText) {
                    return .open(pathText)
                }
            default:
                let before = browser.folder
                if let path = browser.handle(key) { return .open(path) }
                scrollTarget = browser.selection
                if before != browser.folder { pathText = browser.folder }
            }
        }
        return nil
    }

    private mutating func open(_ index: Int) -> FileDialogResult? {
        let before = browser.folder
        if let path = browser.activate(index) { return .open(path) }
        if before != browser.folder { pathText = browser.folder }
        return nil
    }

    private mutating func goUp() {
        browser.goUp()
        pathText = browser.folder
    }

    @discardableResult
    private mutating func navigate(_ path: String) -> Bool {
        guard browser.navigate(to: path) else { return false }
        pathText = browser.folder
        return true
    }
}

import Foundation
import Testing
@testable import UI

/// A temporary folder with models, other files and sub-folders.
struct TemporaryTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-ui-\(UUID().uuidString)").path
        let fm = FileManager.default
        for folder in ["zeta", "Alpha", ".hidden"] {
            try fm.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        for file in ["net.onnx", "b.h5", "c.keras", "notes.txt", "model.strata", "Alpha/inner.onnx"] {
            fm.createFile(atPath: "\(root)/\(file)", contents: Data("x".utf8))
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite struct FileBrowserTests {
    @Test func foldersFirstThenModelFilesByName() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        var browser = FileBrowser(folder: tree.root)
        #expect(browser.entries.map(\.name) == ["Alpha", "zeta", "b.h5", "c.keras", "model.strata", "net.onnx"])
        browser.filter = .all
        #expect(browser.entries.map(\.name) == ["Alpha", "zeta", "b.h5", "c.keras", "model.strata", "net.onnx", "notes.txt"])
        #expect(browser.error == nil)
    }

    @Test func typingFiltersCaseInsensitively() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        var browser = FileBrowser(folder: tree.root)
        browser.query = "AL"
        #expect(browser.entries.map(\.name) == ["Alpha"])
        #expect(browser.selection == 0)
        browser.query = "nothing"
        #expect(browser.entries.isEmpty && browser.selection == nil)
        _ = browser.handle(.backspace)
        #expect(browser.query == "nothin", "Backspace first edits the query")
    }

    @Test func keyboardNavigatesIntoFoldersAndBack() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        var browser = FileBrowser(folder: tree.root)
        #expect(browser.selection == 0)
        let entered = browser.handle(.enter)
        #expect(entered == nil, "Enter on a folder enters it")
        #expect(browser.folder.hasSuffix("/Alpha"))
        #expect(browser.entries.map(\.name) == ["inner.onnx"])
        let inner = browser.handle(.enter)
        #expect(inner == "\(browser.folder)/inner.onnx")
        _ = browser.handle(.backspace)
        #expect(browser.folder == URL(fileURLWithPath: tree.root).standardizedFileURL.path)
        #expect(browser.selected?.name == "Alpha", "going up selects the folder we came from")
        _ = browser.handle(.down)
        _ = browser.handle(.down)
        #expect(browser.selected?.name == "b.h5")
        _ = browser.handle(.up)
        _ = browser.handle(.up)
        _ = browser.handle(.up)
        #expect(browser.selection == 0, "selection is clamped")
        _ = browser.handle(.end)
        let last = browser.handle(.enter)
        #expect(last == "\(browser.folder)/net.onnx")
    }

    @Test func missingFolderIsReportedAndNotEntered() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        var browser = FileBrowser(folder: tree.root)
        let enteredMissing = browser.navigate(to: "\(tree.root)/missing")
        let enteredFile = browser.navigate(to: "\(tree.root)/net.onnx")
        #expect(!enteredMissing && !enteredFile)
        #expect(browser.folder == URL(fileURLWithPath: tree.root).standardizedFileURL.path)
        let gone = FileBrowser(folder: "\(tree.root)/missing")
        #expect(gone.entries.isEmpty)
        #expect(gone.error?.hasPrefix("\(tree.root)/missing: cannot list the folder") == true)
    }

    @Test func recentFilesPersistNewestFirstWithoutDuplicates() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let store = URL(fileURLWithPath: "\(tree.root)/config/strata/recent.json")
        var recent = RecentFiles(storeURL: store)
        #expect(recent.paths.isEmpty)
        let saveProblem = recent.add("\(tree.root)/net.onnx")
        #expect(saveProblem == nil)
        recent.add("\(tree.root)/b.h5")
        recent.add("\(tree.root)/./net.onnx")
        #expect(recent.paths == ["\(tree.root)/net.onnx", "\(tree.root)/b.h5"])
        #expect(RecentFiles(storeURL: store).paths == recent.paths)
        for i in 0..<20 { recent.add("\(tree.root)/m\(i).onnx") }
        #expect(recent.paths.count == RecentFiles.limit)
        try Data("not json".utf8).write(to: store)
        #expect(RecentFiles(storeURL: store).paths.isEmpty)
    }

    @Test func dialogOpensTheFileChosenByTypingAndEnter() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let ui = UIContext(metrics: .approximate)
        var dialog = FileDialog(folder: tree.root, recent: RecentFiles(storeURL: URL(fileURLWithPath: "\(tree.root)/r.json")),
                                bookmarks: [(name: "Home", path: tree.root)])
        var result: FileDialogResult?
        var list = frame(ui) { result = dialog.draw(ui) }
        #expect(result == nil)
        #expect(texts(list).contains("Alpha/") && texts(list).contains("net.onnx"))
        for c in "net" { ui.feed(.character(c)) }
        list = frame(ui) { result = dialog.draw(ui) }
        #expect(dialog.browser.query == "net")
        #expect(!texts(list).contains("b.h5"))
        ui.feed(.key(.enter))
        frame(ui) { result = dialog.draw(ui) }
        #expect(result == .open("\(dialog.browser.folder)/net.onnx"))
        ui.feed(.key(.escape))
        frame(ui) { result = dialog.draw(ui) }
        #expect(result == .cancel)
    }

    @Test func dialogDoubleClickEntersFolders() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let ui = UIContext(metrics: .approximate)
        var dialog = FileDialog(folder: tree.root, recent: RecentFiles(storeURL: URL(fileURLWithPath: "\(tree.root)/r.json")),
                                bookmarks: [])
        let list = frame(ui) { _ = dialog.draw(ui) }
        let alpha = try #require(position(of: "Alpha/", in: list))
        click(ui, at: alpha, time: 5)
        click(ui, at: alpha, time: 5.1)
        frame(ui) { _ = dialog.draw(ui) }
        #expect(dialog.browser.folder.hasSuffix("/Alpha"))
        #expect(dialog.pathText == dialog.browser.folder)
    }
}

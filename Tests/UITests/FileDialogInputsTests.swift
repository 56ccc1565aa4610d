import Foundation
import GLRenderer
import Testing
@testable import UI

@Suite struct FileDialogInputsTests {
    @Test func theInputsFilterListsImagesAndArrays() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-inputs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(root)/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        for file in ["a.PNG", "b.npy", "net.onnx", "notes.txt"] {
            FileManager.default.createFile(atPath: "\(root)/\(file)", contents: Data("x".utf8))
        }
        var dialog = FileDialog(folder: root, recent: RecentFiles(storeURL: URL(fileURLWithPath: "/dev/null")), bookmarks: [])
        #expect(dialog.browser.entries.map(\.name) == ["sub", "net.onnx"])
        dialog.kind = .inputs
        #expect(dialog.browser.entries.map(\.name) == ["sub", "a.PNG", "b.npy"])
        let ui = UIContext(metrics: .approximate)
        let shown = texts(frame(ui) { _ = dialog.draw(ui) })
        #expect(shown.contains("Choose input image or .npy") && shown.contains(".png .npy"))
        #expect(!shown.contains("Use system dialog"), "no check box without a system dialog")
    }

    @Test func theSystemDialogCheckBoxIsSaved() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-settings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("strata/settings.json")
        var dialog = FileDialog(folder: folder.path, recent: RecentFiles(storeURL: URL(fileURLWithPath: "/dev/null")), bookmarks: [])
        dialog.settings = ViewerSettings(storeURL: store)
        let ui = UIContext(metrics: .approximate)
        let list = frame(ui) { _ = dialog.draw(ui) }
        let point = try #require(position(of: "Use system dialog", in: list))
        click(ui, at: point)
        frame(ui) { _ = dialog.draw(ui) }
        #expect(dialog.settings?.useSystemDialog == true)
        #expect(dialog.settingsProblem == nil)
        #expect(ViewerSettings(storeURL: store).useSystemDialog, "remembered across runs")
    }

    @Test func settingsDefaultToTheInAppDialogAndLiveNextToRecentFiles() throws {
        let env = ["XDG_CONFIG_HOME": "/tmp/cfg"]
        #expect(ViewerSettings.defaultStore(environment: env).path == "/tmp/cfg/strata/settings.json")
        #expect(RecentFiles.defaultStore(environment: env).deletingLastPathComponent() == ViewerSettings.defaultStore(environment: env).deletingLastPathComponent())
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: bad) }
        try Data("{not json".utf8).write(to: bad)
        #expect(!ViewerSettings(storeURL: bad).useSystemDialog)
        #expect(!ViewerSettings(storeURL: URL(fileURLWithPath: "/nonexistent/settings.json")).useSystemDialog)
        var settings = ViewerSettings(storeURL: URL(fileURLWithPath: "/proc/strata/settings.json"))
        settings.useSystemDialog = true
        #expect(settings.save()?.hasPrefix("/proc/strata/settings.json: cannot save settings") == true)
    }

    @Test func kindsGiveTitlesAndPatterns() {
        #expect(FileDialogKind.models.patterns == "*.onnx *.h5 *.keras *.strata")
        #expect(FileDialogKind.inputs.patterns == "*.png *.npy")
        #expect(FileBrowser.passes("x.NPY", .inputs) && !FileBrowser.passes("x.onnx", .inputs))
        #expect(FileBrowser.passes("x.onnx", .models) && FileBrowser.passes("x.txt", .all))
    }
}

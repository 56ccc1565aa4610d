import Foundation
import Testing
import UI
@testable import Viewer

@Suite struct NativeFileDialogTests {
    let zenity = NativeFileDialog(tool: .zenity, executable: "/usr/bin/zenity")
    let kdialog = NativeFileDialog(tool: .kdialog, executable: "/opt/kde/bin/kdialog")

    @Test func foundOnThePathZenityFirst() {
        let both: Set = ["/opt/kde/bin/kdialog", "/usr/bin/zenity"]
        #expect(NativeFileDialog.find(environment: ["PATH": "/opt/kde/bin:/usr/bin"], isExecutable: both.contains) == zenity)
        #expect(NativeFileDialog.find(environment: ["PATH": "/opt/kde/bin:/usr/bin"], isExecutable: { $0 == "/opt/kde/bin/kdialog" }) == kdialog)
        #expect(NativeFileDialog.find(environment: ["PATH": "/usr/bin"], isExecutable: { _ in false }) == nil)
        #expect(NativeFileDialog.find(environment: [:], isExecutable: { _ in true }) == nil, "no PATH, no dialog")
    }

    @Test func commandLinesCarryTitleFolderAndFilters() {
        #expect(zenity.arguments(kind: .models, folder: "/home/u/models") == [
            "--file-selection", "--title=Open model", "--filename=/home/u/models/",
            "--file-filter=Models | *.onnx *.h5 *.keras *.strata", "--file-filter=All files | *",
        ])
        #expect(zenity.arguments(kind: .inputs, folder: "/data/")[3] == "--file-filter=Images and arrays | *.png *.npy")
        #expect(kdialog.arguments(kind: .inputs, folder: "/data") == [
            "--title", "Choose input image or .npy", "--getopenfilename", "/data/", "Images and arrays (*.png *.npy)",
        ])
    }

    @Test func answersAreParsed() throws {
        #expect(try zenity.parse(.init(status: 0, stdout: "/home/u/my model.onnx\n", stderr: "Gtk-WARNING: noise")) == "/home/u/my model.onnx")
        #expect(try kdialog.parse(.init(status: 0, stdout: "/a/b.png\r\n", stderr: "")) == "/a/b.png")
        #expect(try zenity.parse(.init(status: 1, stdout: "", stderr: "")) == nil, "Cancel")
        #expect(try zenity.parse(.init(status: 0, stdout: "\n", stderr: "")) == nil, "no file chosen")
        #expect(throws: NativeDialogError.failed(tool: "zenity", status: 255, reason: "cannot open display")) {
            try zenity.parse(.init(status: 255, stdout: "", stderr: "cannot open display\nmore"))
        }
        #expect(NativeDialogError.failed(tool: "zenity", status: 255, reason: "cannot open display").description
                == "system file dialog: zenity exited with status 255: cannot open display")
    }

    @Test func chooseRunsTheToolWithItsArguments() throws {
        let seen = Recorder()
        let path = try zenity.choose(kind: .inputs, folder: "/data") { executable, arguments in
            seen.record(executable, arguments)
            return .init(status: 0, stdout: "/data/seven.png\n", stderr: "")
        }
        #expect(path == "/data/seven.png")
        #expect(seen.calls == [["/usr/bin/zenity"] + zenity.arguments(kind: .inputs, folder: "/data")])
        #expect(throws: NativeDialogError.cannotStart(tool: "kdialog", reason: "gone")) {
            try kdialog.choose(kind: .models, folder: "/") { _, _ in throw NSError(domain: "t", code: 1, userInfo: [NSLocalizedDescriptionKey: "gone"]) }
        }
    }

    @Test func theRealRunnerCollectsOutputAndStatus() throws {
        let output = try NativeFileDialog.runProcess("/bin/sh", ["-c", "echo /tmp/x.onnx; echo oops >&2; exit 0"])
        #expect(output == .init(status: 0, stdout: "/tmp/x.onnx\n", stderr: "oops\n"))
        #expect(try NativeFileDialog.runProcess("/bin/sh", ["-c", "exit 1"]).status == 1)
    }
}

/// Collects the runner's calls (the runner is `@Sendable`).
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [[String]] = []
    var calls: [[String]] { lock.withLock { list } }
    func record(_ executable: String, _ arguments: [String]) { lock.withLock { list.append([executable] + arguments) } }
}

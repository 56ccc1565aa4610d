import Foundation
import UI

/// The system's file dialog through `zenity` or `kdialog`, run as a child process (off the main thread: the
/// caller wraps `choose` in a `BackgroundJob`). Building the command line and reading its answer are pure,
/// and the process runner is injected, so tests run no dialog.
struct NativeFileDialog: Sendable, Equatable {
    /// The program that draws the dialog.
    enum Tool: String, Sendable, CaseIterable {
        case zenity, kdialog
    }

    /// What a finished child process gave back.
    struct Output: Sendable, Equatable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` to completion.
    typealias Runner = @Sendable (_ executable: String, _ arguments: [String]) throws -> Output

    let tool: Tool
    /// Absolute path of the program.
    let executable: String

    /// The first of zenity, kdialog found in `PATH` (an executable file), or nil.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment,
                     isExecutable: (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }) -> NativeFileDialog? {
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for tool in Tool.allCases {
            for folder in folders {
                let path = (folder as NSString).appendingPathComponent(tool.rawValue)
                if isExecutable(path) { return NativeFileDialog(tool: tool, executable: path) }
            }
        }
        return nil
    }

    /// The arguments that open a dialog choosing a `kind` file, starting in `folder`.
    func arguments(kind: FileDialogKind, folder: String) -> [String] {
        let start = folder.hasSuffix("/") ? folder : folder + "/"
        switch tool {
        case .zenity:
            return ["--file-selection", "--title=\(kind.title)", "--filename=\(start)",
                    "--file-filter=\(kind.filterName) | \(kind.patterns)", "--file-filter=All files | *"]
        case .kdialog:
            return ["--title", kind.title, "--getopenfilename", start, "\(kind.filterName) (\(kind.patterns))"]
        }
    }

    /// The chosen path from the dialog's answer; nil when the user cancelled. Exit status 0 with a path on
    /// the first line is a choice, 1 is Cancel (both tools); anything else is a failure.
    func parse(_ output: Output) throws -> String? {
        switch output.status {
        case 0:
            return output.stdout.split(whereSeparator: \.isNewline).first.map(String.init)
        case 1:
            return nil
        default:
            let reason = output.stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw NativeDialogError.failed(tool: tool.rawValue, status: output.status, reason: reason)
        }
    }

    /// Shows the dialog and waits for the answer (blocks: call it off the main thread).
    func choose(kind: FileDialogKind, folder: String, runner: Runner = NativeFileDialog.runProcess) throws -> String? {
        let output: Output
        do {
            output = try runner(executable, arguments(kind: kind, folder: folder))
        } catch let error as NativeDialogError {
            throw error
        } catch {
            throw NativeDialogError.cannotStart(tool: tool.rawValue, reason: (error as NSError).localizedDescription)
        }
        return try parse(output)
    }

    /// Runs a child process, collecting its output.
    static let runProcess: Runner = { executable, arguments in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting: a child blocked on a full pipe would never exit.
        let errData = ErrorCollector(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on another thread.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Why the system file dialog could not be used.
enum NativeDialogError: Error, CustomStringConvertible, Equatable {
    case cannotStart(tool: String, reason: String)
    case failed(tool: String, status: Int32, reason: String)

    var description: String {
        switch self {
        case let .cannotStart(tool, reason): "system file dialog: cannot start \(tool) (\(reason))"
        case let .failed(tool, status, reason): "system file dialog: \(tool) exited with status \(status): \(reason)"
        }
    }
}

import Foundation
import Testing

/// What a test suite that runs the built `strata` binary (`STRATA_BIN`, set by `make test`) needs.
protocol StrataCLITest {}

/// The exit status and output of one `strata` run.
struct StrataResult {
    var status: Int32
    var stdoutData: Data
    var stderr: String

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
}

extension StrataCLITest {
    static var repo: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The path of `path` inside the bundled `Assets/`.
    static func asset(_ path: String) -> String { repo.appendingPathComponent("Assets/\(path)").path }

    /// `STRATA_BIN`, else the most recently built `strata` under `.build*/` (for a plain `swift test`).
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["STRATA_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: repo.path)) ?? []
        let built = folders.filter { $0.hasPrefix(".build") }.flatMap { dir in
            ["release", "debug"].map { repo.appendingPathComponent("\(dir)/\($0)/strata") }
        }.filter { FileManager.default.isExecutableFile(atPath: $0.path) }
        func modified(_ url: URL) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return try #require(built.max { modified($0) < modified($1) },
                            "set STRATA_BIN to the built strata binary (make test does), or build it with swift build")
    }

    /// Runs `strata arguments` with `environment` changes (a nil value removes the variable), through `launcher`
    /// when given (a program and its arguments that run the command after them, such as `taskset -c 0`).
    func strata(_ arguments: [String], environment: [String: String?] = [:], launcher: [String] = []) throws -> StrataResult {
        let process = Process()
        let binary = try Self.binary()
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [binary.path] + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // stderr is drained on its own thread so a chatty run cannot fill one pipe while we wait on the other.
        let errors = PipeReader(err)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return StrataResult(status: process.terminationStatus, stdoutData: stdout,
                            stderr: String(decoding: errors.wait(), as: UTF8.self))
    }

    /// A new empty folder under the temporary directory.
    func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Reads a pipe to its end on another thread.
private final class PipeReader: @unchecked Sendable {
    private let group = DispatchGroup()
    private var data = Data()

    init(_ pipe: Pipe) {
        group.enter()
        DispatchQueue.global().async { [self] in
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
    }

    /// Everything the pipe carried (waits for its end).
    func wait() -> Data {
        group.wait()
        return data
    }
}

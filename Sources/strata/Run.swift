import ArgumentParser
import Dispatch
import Foundation
import ModelLoading
import Runtime
import Snapshot
import StrataCore

/// `strata run MODEL [--input INPUT]... [--dump DIR] [--top K] [--json]`: runs a model on the CPU and prints the
/// highest outputs; `--dump` writes every recorded tensor as `.npy` with a `manifest.json`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on an input and print its top outputs; optionally dump every layer's output.")

    @Argument(help: "Model file (.onnx, .h5, .keras), or a .strata snapshot (re-run and compared).") var model: String
    @Option(name: .customLong("input"), help: "Input: PATH or NAME=PATH (.npy, .png, 'random', 'zeros'); repeatable.")
    var inputs: [String] = []
    @Option(help: "Write every recorded tensor as .npy plus manifest.json into this folder.") var dump: String?
    @Option(help: "How many of the highest outputs to print.") var top: Int = 5
    @Flag(help: "Print outputs, top-k and timings as JSON.") var json = false
    @Option(help: "PNG pixel (0-255) multiplier before --mean/--std (default 1/255).") var scale: Float?
    @Option(help: "Subtracted after scaling: one value or one per channel, comma-separated.") var mean: String?
    @Option(help: "Divided by after subtracting the mean: one value or one per channel.") var std: String?
    @Option(help: "Seed of 'random' inputs.") var seed: UInt64 = 0

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        try withFailureReporting {
            if SnapshotFile.isSnapshot(model) { return try SnapshotInputs.run(self) }
            let loadStart = DispatchTime.now()
            let loaded = try ModelLoader.load(contentsOf: URL(fileURLWithPath: model))
            let loadMS = milliseconds(since: loadStart)
            let feeds = try InputLoader.tensors(for: loaded.graph, specs: inputs.map(InputSpec.init(parsing:)),
                                                options: try preprocessOptions())
            let runStart = DispatchTime.now()
            let trace: Trace
            do {
                trace = try Executor.run(loaded, inputs: feeds)
            } catch let failure as RunFailure {
                if let dump { try TraceDump.write(failure.trace, model: loaded, to: dump, failure: failure) }
                throw failure
            }
            let runMS = milliseconds(since: runStart)
            if let dump { try TraceDump.write(trace, model: loaded, to: dump, failure: nil) }
            let report = RunReport(model: loaded, trace: trace, top: top, loadMS: loadMS, runMS: runMS)
            print(json ? try report.json() : report.text())
        }
    }

    private func preprocessOptions() throws -> PreprocessOptions {
        var options = PreprocessOptions(seed: seed)
        if let scale {
            guard scale.isFinite else { throw ValidationError("--scale must be a finite number") }
            options.scale = scale
        }
        if let mean { options.mean = try PreprocessOptions.parseList(mean, option: "--mean") }
        if let std { options.std = try PreprocessOptions.parseList(std, option: "--std") }
        return options
    }
}

func milliseconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}

extension RunFailure: StatusCarrying {
    /// 3 when the run stopped at an operator Strata cannot execute; 2 (bad input) otherwise.
    var exitStatus: Int32 {
        if case .unsupportedOperator = error { return ExitStatus.unsupportedOperator }
        return ExitStatus.badInput
    }
}

/// What `strata run` prints: the top outputs of each graph output (text: the first output only), with labels.
struct RunReport {
    struct Entry: Encodable {
        var index: Int
        var value: Double
        var label: String?
    }

    struct Output: Encodable {
        var name: String
        var shape: [Int]
        var dtype: String
        var top: [Entry]
    }

    struct NodeTime: Encodable {
        var name: String
        var op: String
        var ms: Double
    }

    struct Timings: Encodable {
        var load_ms: Double
        var run_ms: Double
        var nodes: [NodeTime]
    }

    struct Document: Encodable {
        var model: String
        var format: String
        var outputs: [Output]
        var timings: Timings
    }

    let document: Document

    init(model: Model, trace: Trace, top: Int, loadMS: Double, runMS: Double) {
        let outputs = model.graph.outputs.compactMap { info -> Output? in
            guard let t = trace.tensor(named: info.name) else { return nil }
            let labels = LabelFiles.labels(count: t.count)
            let values = t.doubles
            let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            let entries = order.prefix(top).map { Entry(index: $0, value: values[$0], label: labels?[$0]) }
            return Output(name: info.name, shape: t.shape, dtype: t.dtype.rawValue, top: entries)
        }
        let nodes = trace.timings.map { NodeTime(name: $0.name, op: $0.op, ms: $0.seconds * 1000) }
        document = Document(model: model.path, format: model.format.rawValue, outputs: outputs,
                            timings: Timings(load_ms: loadMS, run_ms: runMS, nodes: nodes))
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    func text() -> String {
        let t = document.timings
        var lines = [String(format: "%@: %d nodes, loaded in %.1f ms, ran in %.2f ms",
                            URL(fileURLWithPath: document.model).lastPathComponent, t.nodes.count, t.load_ms, t.run_ms)]
        guard let output = document.outputs.first else { return lines.joined(separator: "\n") }
        lines.append("output '\(output.name)' \(output.dtype)\(output.shape):")
        for (rank, entry) in output.top.enumerated() {
            let label = entry.label.map { "  \($0)" } ?? ""
            lines.append(String(format: "%4d. [%d]%@  %.6g", rank + 1, entry.index, label, entry.value))
        }
        return lines.joined(separator: "\n")
    }
}

/// Class-name files: `Assets/*.txt` and `Assets/labels/*.txt`, one label per line.
enum LabelFiles {
    /// The labels of the first file (by name) with exactly `count` lines, if any.
    static func labels(count: Int) -> [String]? {
        guard count > 1, let assets = assetsFolder() else { return nil }
        let fm = FileManager.default
        let folders = [assets, assets.appendingPathComponent("labels")]
        let files = folders.flatMap { folder in
            ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
                .map { folder.appendingPathComponent($0) }
        }
        for file in files {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            var lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            while lines.last == "" { lines.removeLast() }
            if lines.count == count { return lines }
        }
        return nil
    }

    /// `STRATA_ASSETS`, else the first `Assets` folder found walking up from the executable's folder.
    static func assetsFolder() -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["STRATA_ASSETS"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            var isFolder: ObjCBool = false
            let candidate = folder.appendingPathComponent("Assets")
            if fm.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}

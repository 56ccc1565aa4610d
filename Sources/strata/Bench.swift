import ArgumentParser
import Dispatch
import Foundation
import ModelLoading
import Runtime
import Scene
import StrataCore

/// `strata bench MODEL [--input INPUT]... [--runs N] [--frames N] [--json]`: load time, inference latency with
/// and without recording every activation, and peak memory.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time loading and inference of a model (median and min over N runs after one warm-up).")

    @Argument(help: "Model file (.onnx, .h5, .keras).") var model: String
    @Option(name: .customLong("input"), help: "Input: PATH or NAME=PATH (.npy, .png, 'random', 'zeros'); repeatable.")
    var inputs: [String] = []
    @Option(help: "Timed inference runs, each with and without recording (after one warm-up).") var runs: Int = 10
    @Option(help: "Rendered frames to time (scene build, hit test and frame times, offscreen).") var frames: Int?
    @Option(name: .customLong("expand"), help: "Layer to open for the frame times (repeatable).") var expand: [String] = []
    @Flag(help: "Open every layer for the frame times.") var openAll = false
    @Flag(help: "Also time the frames with the viewer's panels (toolbar, input pad, output chart, inspector heat map).")
    var ui = false
    @Option(help: "View mode of open layers for the frame times.") var view: String = "grid"
    @Option(help: "Frame size WxH.") var size: String = "1280x800"
    @Flag(help: "Print the figures as JSON.") var json = false

    func validate() throws {
        guard (1...10_000).contains(runs) else { throw ValidationError("--runs must be between 1 and 10000") }
        if let frames, frames < 0 { throw ValidationError("--frames must be 0 or more") }
    }

    func run() throws {
        try withFailureReporting {
            let report = try measure()
            print(json ? try report.json() : report.text())
        }
    }

    private func measure() throws -> BenchReport {
        let loadStart = DispatchTime.now()
        let loaded = try ModelLoader.load(contentsOf: URL(fileURLWithPath: model))
        let blasCore = OpenBLASCore.selectFastKernels()
        let planStart = DispatchTime.now()
        // Prepared once, like an onnxruntime session: load_ms counts it, every timed run reuses it.
        let plan = try ExecutionPlan(loaded)
        var report = BenchReport(model: model, loadMS: Self.milliseconds(since: loadStart), runs: runs)
        report.planMS = Self.milliseconds(since: planStart)
        report.blasCore = blasCore
        let feeds = try InputLoader.tensors(for: loaded.graph, specs: inputs.map(InputSpec.init(parsing:)))
        let warmUp = try Executor.run(plan, inputs: feeds, record: true)
        let statsStart = DispatchTime.now()
        for name in warmUp.order { _ = warmUp.stats(named: name) }
        report.statsMS = Self.milliseconds(since: statsStart)
        report.recordedTensors = warmUp.order.count
        var plain: [Double] = [], recorded: [Double] = []
        // Alternating the two kinds of run spreads a noisy machine's slow moments over both.
        for _ in 0..<runs {
            plain.append(try timed {
                let trace = try Executor.run(plan, inputs: feeds, record: false)
                if trace.ranOnOneCore { report.oneCoreRuns += 1 }
                return trace
            })
            recorded.append(try timed { try Executor.run(plan, inputs: feeds, record: true) })
        }
        report.inferMS = Self.median(plain)
        report.inferMinMS = plain.min() ?? 0
        report.recordMS = Self.median(recorded)
        report.recordMinMS = recorded.min() ?? 0
        if let frames, frames > 0 {
            report.render = try measureFrames(loaded, trace: warmUp, frames: frames)
        }
        report.peakRSSMB = Self.peakResidentMegabytes()
        return report
    }

    private func measureFrames(_ model: Model, trace: Trace, frames: Int) throws -> FrameReport {
        guard let mode = ViewMode(rawValue: view) else {
            throw ValidationError("unknown view '\(view)' (\(ViewMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let dims = size.split(separator: "x").compactMap { Int($0) }
        guard dims.count == 2, (16...8192).contains(dims[0]), (16...8192).contains(dims[1]) else {
            throw ValidationError("--size must be WxH, e.g. 1280x800")
        }
        var open: [String] = []
        for name in expand {
            guard let layer = SceneBuilder.resolveLayer(name, in: model.graph) else {
                throw ValidationError("\(self.model): no layer or value named '\(name)'")
            }
            open.append(layer)
        }
        if openAll {
            open = SceneBenchmark.layersToOpen(graph: model.graph, types: ShapeInference.infer(model.graph), count: Int.max)
        }
        return try FrameReport.measure(model: model, trace: trace, open: open, mode: mode, frames: frames,
                                       width: dims[0], height: dims[1], ui: ui)
    }

    private func timed(_ body: () throws -> Trace) throws -> Double {
        let start = DispatchTime.now()
        _ = try body()
        return Self.milliseconds(since: start)
    }

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The process's peak resident set: `VmHWM` in /proc/self/status, in kilobytes. Linux keeps getrusage's
    /// `ru_maxrss` across exec, so a process started by a larger one (the benchmark script, with onnxruntime and
    /// its models loaded) would report that parent's size; `getrusage` only where there is no /proc.
    static func peakResidentMegabytes() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Double($0) }) {
            return kilobytes / 1024
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// What `strata bench` prints.
struct BenchReport: Encodable {
    var model: String
    var loadMS: Double
    var runs: Int
    /// Part of `loadMS` spent preparing the execution plan (constant values computed once).
    var planMS = 0.0
    var inferMS = 0.0
    var inferMinMS = 0.0
    var recordMS = 0.0
    var recordMinMS = 0.0
    /// Time to compute the statistics of every recorded tensor once (done lazily by the viewer).
    var statsMS = 0.0
    var recordedTensors = 0
    var peakRSSMB = 0.0
    var blasCore = ""
    var threads = Executor.threads
    /// Timed runs without recording that kept their kernels on one core (`Trace.ranOnOneCore`).
    var oneCoreRuns = 0
    /// Scene and frame times, with `--frames`.
    var render: FrameReport?

    enum CodingKeys: String, CodingKey {
        case model, runs, threads, oneCoreRuns = "one_core_runs"
        case loadMS = "load_ms", planMS = "plan_ms", inferMS = "infer_ms", inferMinMS = "infer_min_ms", recordMS = "record_ms"
        case recordMinMS = "record_min_ms", statsMS = "stats_ms", recordedTensors = "recorded_tensors"
        case peakRSSMB = "peak_rss_mb", blasCore = "blas_core", render
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        let overhead = inferMS > 0 ? String(format: "%+.1f %%", (recordMS / inferMS - 1) * 100) : "-"
        return """
        model        \(model)
        load         \(ms(loadMS)) (\(ms(planMS)) preparing the run)
        inference    \(ms(inferMS)) median, \(ms(inferMinMS)) min (\(runs) runs, recording off)
        recording    \(ms(recordMS)) median, \(ms(recordMinMS)) min (\(overhead); \(recordedTensors) tensors)
        statistics   \(ms(statsMS)) for all recorded tensors
        peak memory  \(String(format: "%.1f MB", peakRSSMB))
        BLAS         OpenBLAS \(blasCore), \(threads) thread\(threads == 1 ? "" : "s")
        """ + (render.map { "\n" + $0.text() } ?? "")
    }
}

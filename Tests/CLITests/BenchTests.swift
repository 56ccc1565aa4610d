import Foundation
import Testing

/// `strata bench`: the JSON fields the runtime issue names, and figures that belong to the benchmarked program.
@Suite struct BenchTests: StrataCLITest {
    /// The JSON of a short `strata bench` of the bundled resnet_small, run through `launcher` when given.
    func benchReport(launcher: [String] = []) throws -> [String: Any] {
        let run = try strata(["bench", Self.asset("resnet_small.onnx"), "--input", "random", "--runs", "3", "--json"],
                             launcher: launcher)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
    }

    @Test func reportsTheNamedFields() throws {
        let report = try benchReport()
        for field in ["load_ms", "infer_ms", "infer_min_ms", "record_ms", "peak_rss_mb"] {
            let value = try #require(report[field] as? Double, "no \(field)")
            #expect(value > 0, "\(field) = \(value)")
        }
        #expect(try #require(report["infer_min_ms"] as? Double) <= (try #require(report["infer_ms"] as? Double)))
    }

    /// A process held to one CPU (`taskset`, a container's cpuset) runs its kernels on one thread: a second one,
    /// spinning, would only take turns with it.
    @Test func runsOnTheCPUsItMayUse() throws {
        let taskset = "/usr/bin/taskset"
        try #require(FileManager.default.isExecutableFile(atPath: taskset), "taskset (util-linux) is missing")
        #expect(try benchReport(launcher: [taskset, "-c", "0"])["threads"] as? Int == 1)
        #expect((try benchReport()["threads"] as? Int ?? 0) >= 1)
    }

    /// Started by a large process (the benchmark script, with onnxruntime loaded), the program still reports
    /// its own peak: Linux keeps getrusage's maximum resident set across exec.
    @Test func peakResidentSetIsTheProgramsOwn() throws {
        let parentBytes = 512 << 20
        let ballast = UnsafeMutableRawPointer.allocate(byteCount: parentBytes, alignment: 4096)
        defer { ballast.deallocate() }
        ballast.initializeMemory(as: UInt8.self, repeating: 1, count: parentBytes)
        let peak = try #require(try benchReport()["peak_rss_mb"] as? Double)
        // resnet_small needs a few tens of megabytes; the parent holds more than 512.
        #expect(peak < 256, "peak_rss_mb \(peak) counts the parent process")
        withExtendedLifetime(ballast) {}
    }
}

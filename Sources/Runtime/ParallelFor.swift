import Dispatch
import Foundation

/// A parallel for over the machine's cores, for Strata's own kernels (convolutions, depthwise conv, pooling,
/// elementwise maps). Work is split into contiguous chunks, a few per core, that the cores claim as they go;
/// small loops run inline.
///
/// The parts run on `WorkerPool`'s threads, which spin between the loops of a run.
enum ParallelFor {
    /// Cores to use: as many as the process may run on, at most 8 (kernels here are memory bound beyond that).
    static let width = max(1, min(8, usableCores()))

    /// The CPUs the process may run on: on Linux its affinity mask (`taskset`, a container's cpuset), which
    /// Foundation's `activeProcessorCount` does not read. Held to one CPU, a process that counted two ran a
    /// spinning worker against its own calling thread: resnet_small took 0.73 ms (median), with runs of 2.7 and
    /// 4.7 ms, against 0.42 ms for its fastest runs.
    static func usableCores() -> Int {
        let online = ProcessInfo.processInfo.activeProcessorCount
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return online }
        // A hexadecimal mask, in groups of 32 bits separated by commas.
        let allowed = line.dropFirst("Cpus_allowed:".count).reduce(0) { $0 + ($1.hexDigitValue ?? 0).nonzeroBitCount }
        return allowed > 0 ? min(allowed, online) : online
    }

    /// Cores one product may be spread over now: `width`, or 1 on a thread inside `alone`. Where the split a
    /// kernel makes changes only who computes what, not its values (the convolutions), it asks this; a split
    /// that changes the order of a sum (a long dot product cut in two) keeps `width` and runs its parts in turn.
    static var cores: Int { isAlone ? 1 : width }

    /// Whether the calling thread is inside `alone`.
    static var isAlone: Bool { pthread_getspecific(aloneKey) != nil }

    /// Runs `body` with every loop it starts on the calling thread only: the same parts, one after another.
    static func alone<R>(_ body: () throws -> R) rethrows -> R {
        let outer = pthread_getspecific(aloneKey)
        pthread_setspecific(aloneKey, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(aloneKey, outer) }
        return try body()
    }

    private static let aloneKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Ranges per core: claimed one at a time, so a core that the machine takes away for a while (a virtual
    /// machine's vCPU descheduled, another process) leaves its share to the others instead of holding them up.
    static let chunksPerCore = 4

    /// Calls `body` on disjoint ranges covering `0..<count`, up to `chunksPerCore` per core. `cost` is the work
    /// per index (about one per multiply-add); below ~256k in total the call stays on the current thread.
    static func run(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(width * chunksPerCore, count)
        let total = count.multipliedReportingOverflow(by: max(cost, 1))
        if chunks == 1 || (!total.overflow && total.partialValue < 262_144) {
            body(0..<count)
            return
        }
        WorkerPool.shared.run(parts: chunks) { i in
            let lower = count * i / chunks
            let upper = count * (i + 1) / chunks
            if lower < upper { body(lower..<upper) }
        }
    }
}

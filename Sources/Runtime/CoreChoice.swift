import Dispatch
import Synchronization

/// Whether a plan's runs spread their loops over the cores or keep them on the calling thread, chosen by timing
/// both ways (runs that record and runs that do not timed apart, and counted together).
///
/// On a virtual machine the second core is not always a core. For minutes at a time this machine's two vCPUs
/// hand each other a cache line in 70–200 ns, and resnet_small runs in 84 µs on both against 120 on one; for
/// minutes at a time they take 230–700 ns, each parallel loop runs no faster than on one core, and the run takes
/// 131–152 µs on both against 117–125 on one (medians of 300 runs, both ways sampled every 30 s). The values are
/// the same bits either way: the kernels split work by outputs, and a sum cut in parts keeps its parts
/// (`ParallelFor.cores`).
///
/// Each way keeps its last `samples` times; the runs spread their loops unless keeping them on one core is
/// faster by `margin`. A way not timed for a while (`stale`) is timed again, so that a change of the machine is
/// seen; runs of the slower way then cost about 2 % of the time at most.
final class CoreChoice: Sendable {
    /// The way a run takes.
    enum Way: Equatable {
        case spread
        /// `timing`: the run is one of the way's timed runs, not chosen for being the faster.
        case alone(timing: Bool)
    }

    /// Times kept per way, the shortest of which stands for it: a run the machine interrupted, or whose first
    /// loop woke a sleeping worker, takes longer, never shorter.
    static let samples = 3
    /// A way's times stand for it this long (nanoseconds), and at least 150 times its shortest run.
    static let stale: UInt64 = 250_000_000
    /// How much faster the other way must be for the runs to change ways: the times of the way taken move with
    /// every run, the other's were taken a while ago.
    static let margin = 0.05

    private struct Times {
        var seconds: [Double] = []
        /// When the newest time was taken (uptime nanoseconds).
        var newest: UInt64 = 0

        mutating func add(_ time: Double, at now: UInt64) {
            if seconds.count == CoreChoice.samples { seconds.removeFirst() }
            seconds.append(time)
            newest = max(newest, now)
        }

        func isStale(at now: UInt64) -> Bool {
            let span = max(CoreChoice.stale, UInt64(150 * (seconds.min() ?? 0) * 1e9))
            return seconds.isEmpty || now > newest &+ span
        }
    }

    /// By `record`, then by way (spread, then alone).
    private struct Runs {
        var times = [[Times(), Times()], [Times(), Times()]]
        /// The way taken, by runs that record and runs that do not alike: where they took different ways, each run
        /// that spread its loops woke the workers that the other kind had let sleep.
        var alone = false
    }

    private let runs = Mutex(Runs())

    /// The way the next run (recording or not) takes.
    func next(record: Bool) -> Way {
        ParallelFor.width > 1 ? next(record: record, at: DispatchTime.now().uptimeNanoseconds) : .spread
    }

    /// `next(record:)` at uptime `now` (nanoseconds).
    func next(record: Bool, at now: UInt64) -> Way {
        runs.withLock { runs in
            let r = record ? 1 : 0
            for a in 0..<2 where runs.times[r][a].isStale(at: now) { runs.times[r][a].seconds = [] }
            // Each way is timed `samples` times before the runs choose, the two in turn, so that the first runs of
            // a process (cold caches, a worker not yet spinning) do not count against one of them only.
            let (spread, alone) = (runs.times[r][0].seconds, runs.times[r][1].seconds)
            if spread.count < Self.samples || alone.count < Self.samples {
                return alone.count < spread.count ? .alone(timing: true) : .spread
            }
            // Both kinds of run count, where both ways of that kind are timed.
            var (spreadTime, aloneTime) = (0.0, 0.0)
            for kind in runs.times where kind.allSatisfy({ $0.seconds.count == Self.samples && !$0.isStale(at: now) }) {
                spreadTime += kind[0].seconds.min()!
                aloneTime += kind[1].seconds.min()!
            }
            // The first choice, too, is spread unless alone is faster by the margin: wrongly alone, resnet_small takes
            // 1.4 times as long where the cores are cores; wrongly spread, 1.1 to 1.2 times where they are not.
            let (taken, other) = runs.alone ? (aloneTime, spreadTime) : (spreadTime, aloneTime)
            if other * (1 + Self.margin) < taken { runs.alone.toggle() }
            return runs.alone ? .alone(timing: false) : .spread
        }
    }

    /// Notes that a run (recording or not, alone or not) took `seconds`.
    func ran(record: Bool, alone: Bool, seconds: Double) {
        ran(record: record, alone: alone, seconds: seconds, at: DispatchTime.now().uptimeNanoseconds)
    }

    /// `ran(record:alone:seconds:)` at uptime `now` (nanoseconds).
    func ran(record: Bool, alone: Bool, seconds: Double, at now: UInt64) {
        runs.withLock { runs in
            // In place: a copy would share the array and copy it again to append.
            runs.times[record ? 1 : 0][alone ? 1 : 0].add(seconds, at: now)
        }
    }
}

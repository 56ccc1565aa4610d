import Foundation
import Synchronization
import CPrefetch

/// Threads that run the parts of one parallel loop at a time, handed over in well under a microsecond.
///
/// libdispatch's workers sleep between loops and take tens of microseconds to wake on a virtual machine, as
/// long as a whole small convolution. These workers spin for a while after each loop (a run is a burst of
/// loops), then sleep until the next one. The calling thread takes parts too, and waits for the rest.
///
/// Parts are claimed from one atomic ticket holding the loop's generation, part count and next part, so a
/// worker can never take a part of a loop that has ended, and the loop's body stays valid while any part runs.
/// One loop runs at a time: a caller that finds the pool busy (another thread's loop, or a loop started inside
/// a part, which runs while its own loop holds the pool), or that runs `ParallelFor.alone`, runs its parts itself.
final class WorkerPool: @unchecked Sendable {
    /// The pool of this process: one worker less than `ParallelFor.width` (the caller is the last one).
    static let shared = WorkerPool(workers: ParallelFor.width - 1)

    /// How long an idle worker spins before it sleeps.
    static let spinNanoseconds: UInt64 = 2_000_000

    private let workers: Int
    /// generation (bits 40...) | parts (bits 20..<40) | next part (bits 0..<20).
    private let ticket = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// The generation of the last loop `rest` was called after: workers that have seen no newer loop sleep.
    private let restingAt = Atomic<Int>(-1)
    private let condition = NSCondition()
    /// The running loop's body; written only while no part of any loop runs.
    private nonisolated(unsafe) var body: ((Int) -> Void)?

    private static let partBits = 20, partMask = (1 << 20) - 1, generationMask = (1 << 23) - 1

    init(workers: Int) {
        self.workers = workers
        for index in 0..<workers {
            let thread = Thread { [unowned self] in
                ScratchPool.giveThreadItsOwn()
                self.workerLoop()
            }
            thread.name = "strata-worker-\(index + 1)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Calls `body(part)` for every part in `0..<parts`, spread over the workers and the calling thread; returns
    /// when all have run.
    func run(parts: Int, _ body: (Int) -> Void) {
        guard workers > 0, parts > 1, parts <= Self.partMask, !ParallelFor.isAlone,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            self.body = escaping
            done.store(0, ordering: .relaxed)
            let generation = (self.generation + 1) & Self.generationMask
            ticket.store(generation << (2 * Self.partBits) | parts << Self.partBits, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
            work()
            while done.load(ordering: .acquiring) < parts {}
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Takes and runs parts of the current loop until none is left.
    private func work() {
        while true {
            var t = ticket.load(ordering: .acquiring)
            var claimed = false
            while !claimed {
                let parts = (t >> Self.partBits) & Self.partMask, next = t & Self.partMask
                if next >= parts { return }
                (claimed, t) = ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing)
            }
            body?(t & Self.partMask)
            done.add(1, ordering: .releasing)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            var spins = 0
            while generation == seen {
                strata_pause()
                spins += 1
                if spins & 1023 == 0 && (restingAt.load(ordering: .relaxed) == seen
                                         || DispatchTime.now().uptimeNanoseconds > deadline) {
                    sleep(whileAt: seen)
                }
            }
            seen = generation
            work()
        }
    }

    /// Lets the spinning workers sleep now instead of at the end of their spin: for a caller that will start no
    /// loop for a while (a run that keeps its loops on its own thread, `CoreChoice`). A spinning thread slows the
    /// thread it shares a core with.
    func rest() {
        restingAt.store(generation, ordering: .relaxed)
    }

    private var generation: Int { ticket.load(ordering: .acquiring) >> (2 * Self.partBits) }

    /// Sleeps until a loop newer than `generation` starts.
    private func sleep(whileAt generation: Int) {
        condition.lock()
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while ticket.load(ordering: .sequentiallyConsistent) >> (2 * Self.partBits) == generation { condition.wait() }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        condition.unlock()
    }
}

import Testing
@testable import Viewer

@Suite struct LiveRunSchedulerTests {
    @Test func oneRunInFlightAndOnlyTheLatestWaits() {
        var s = LiveRunScheduler<Int>()
        #expect(s.take() == nil, "nothing submitted")
        s.submit(1)
        #expect(s.take() == 1)
        #expect(s.isRunning)
        s.submit(2)
        s.submit(3)
        s.submit(4)
        #expect(s.take() == nil, "at most one run in flight")
        #expect(s.pending == 4, "only the latest picture waits")
        s.finish()
        #expect(s.take() == 4)
        #expect(s.take() == nil)
        s.finish()
        #expect(!s.isRunning && s.take() == nil, "nothing is run twice")
    }

    @Test func droppingWhatWaitsKeepsTheRunInFlight() {
        var s = LiveRunScheduler<String>()
        s.submit("a")
        _ = s.take()
        s.submit("b")
        s.dropPending()
        #expect(s.pending == nil && s.isRunning)
        s.finish()
        #expect(s.take() == nil)
    }
}

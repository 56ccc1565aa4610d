import Foundation
import Testing
@testable import Runtime

/// Each worker thread borrows its scratch from a pool of its own; every other thread shares one.
@Suite struct ScratchPoolTests {
    /// A pool of threads of the test's own, which the other tests' loops cannot keep busy (kept for the whole
    /// process: its threads never end).
    static let workers = WorkerPool(workers: 2)

    @Test func workerThreadsHaveTheirOwnPools() {
        let callerPool = ObjectIdentifier(ScratchPool.current)
        let lock = NSLock()
        var poolByThread: [pthread_t: Set<ObjectIdentifier>] = [:]
        // Parts long enough that the workers take some of them, tried until both have.
        for _ in 0..<500 where poolByThread.count < 3 {
            Self.workers.run(parts: 64) { _ in
                let until = DispatchTime.now().uptimeNanoseconds + 20_000
                while DispatchTime.now().uptimeNanoseconds < until {}
                let pool = ObjectIdentifier(ScratchPool.current)
                lock.lock()
                poolByThread[pthread_self(), default: []].insert(pool)
                lock.unlock()
            }
        }
        let caller = pthread_self()
        #expect(poolByThread.values.allSatisfy { $0.count == 1 }, "a thread changed pools")
        #expect(poolByThread[caller] == [callerPool])
        let others = poolByThread.filter { $0.key != caller }
        #expect(!others.isEmpty, "no worker took a part")
        #expect(others.values.allSatisfy { !$0.contains(callerPool) })
        #expect(Set(others.values.flatMap { $0 }).count == others.count, "two workers share a pool")
    }
}

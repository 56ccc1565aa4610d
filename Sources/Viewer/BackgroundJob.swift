import Foundation

/// Work done off the main thread (loading and running a model) whose progress and result the frame loop
/// polls; the window keeps drawing meanwhile. Thread-safe.
public final class BackgroundJob<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var progressValue = 0.0
    private var outcome: Swift.Result<Result, Error>?
    private var cancelled = false
    /// What the job is doing, for the progress line.
    public let title: String

    /// Starts `work` on a background thread; it reports progress through the closure it is given and
    /// should stop early when the second closure returns true.
    public init(title: String, onFinish: @escaping @Sendable () -> Void = {},
                work: @escaping @Sendable (_ progress: @escaping (Double) -> Void, _ isCancelled: @escaping () -> Bool) throws -> Result) {
        self.title = title
        let thread = Thread { [self] in
            Self.yieldToTheWindow()
            let result = Swift.Result { try work({ self.setProgress($0) }, { self.isCancelled }) }
            lock.withLock { outcome = result }
            onFinish()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Fraction done, 0...1.
    public var progress: Double { lock.withLock { progressValue } }
    /// The result once the work has finished.
    public var result: Swift.Result<Result, Error>? { lock.withLock { outcome } }
    /// Asks the work to stop.
    public func cancel() { lock.withLock { cancelled = true } }
    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Lowers this thread's scheduling priority (Linux `nice` is per thread): on a machine with few cores the
    /// frame loop, which shares them with the model's computation, then still draws on time.
    private static func yieldToTheWindow() {
        #if os(Linux)
        // On Linux `who` 0 means the calling thread, not the whole process.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    private func setProgress(_ value: Double) { lock.withLock { progressValue = value } }
}

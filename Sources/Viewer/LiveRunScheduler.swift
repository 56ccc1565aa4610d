/// Coalesces live runs (the drawing pad re-running the model as you draw): at most one run is in flight,
/// and while it runs only the latest submitted payload waits; older ones are dropped. Pure state, no threads:
/// the caller starts what `take()` returns and reports `finish()`.
struct LiveRunScheduler<Payload> {
    /// True while a run started from `take()` has not finished.
    private(set) var isRunning = false
    /// The payload waiting for the run in flight to finish.
    private(set) var pending: Payload?

    /// Queues `payload` to run next, replacing whatever was waiting.
    mutating func submit(_ payload: Payload) { pending = payload }

    /// The payload to start now (it is then in flight), or nil when a run is in flight or nothing waits.
    mutating func take() -> Payload? {
        guard !isRunning, let next = pending else { return nil }
        pending = nil
        isRunning = true
        return next
    }

    /// The run in flight ended (finished, failed or was dropped).
    mutating func finish() { isRunning = false }

    /// Forgets what waits (the model changed); a run in flight stays in flight.
    mutating func dropPending() { pending = nil }
}

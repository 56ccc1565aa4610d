import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reusable float buffers for kernel temporaries (im2col columns, transposed-conv columns), so a run does not
/// map and fault in fresh pages for them at every layer. Thread-safe; a buffer is lent to one caller at a time.
///
/// Each of `WorkerPool`'s threads has a pool of its own, and every other thread shares one. With one pool for
/// all, the two cores took each other's buffers from one conv to the next, and each then read lines the other
/// core had written: resnet_small's runs took 1.014-1.020 of the time they take with a pool per worker
/// (in-process A/B, 1000 runs a side).
final class ScratchPool: @unchecked Sendable {
    /// The calling thread's pool.
    static var current: ScratchPool {
        guard let own = pthread_getspecific(threadKey) else { return processWide }
        return Unmanaged<ScratchPool>.fromOpaque(own).takeUnretainedValue()
    }

    private static let processWide = ScratchPool()
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Makes a new pool the calling thread's own, for as long as the process runs (a worker thread's).
    static func giveThreadItsOwn() {
        pthread_setspecific(threadKey, Unmanaged.passRetained(ScratchPool()).toOpaque())
    }

    private let lock = NSLock()
    private var idle: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []
    /// Buffers kept between calls (a conv holds up to three at once on a thread: a padded image, its tile and
    /// packing scratch); more concurrent borrowers get fresh buffers that are freed afterwards.
    private let keep = 8

    /// Lends `body` an uninitialised buffer of at least `count` floats.
    func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let buffer = borrow(count)
        defer { giveBack(buffer) }
        return try body(buffer.pointer)
    }

    private func borrow(_ count: Int) -> (pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        lock.lock()
        defer { lock.unlock() }
        // The smallest buffer that fits, so that a small request does not take the buffer a large one needs.
        var best: Int?
        for i in idle.indices where idle[i].capacity >= count && best.map({ idle[i].capacity < idle[$0].capacity }) ?? true {
            best = i
        }
        if let best { return idle.remove(at: best) }
        if let smallest = idle.indices.min(by: { idle[$0].capacity < idle[$1].capacity }) {
            idle.remove(at: smallest).pointer.deallocate()
        }
        let capacity = max(count, 1)
        return (UnsafeMutablePointer<Float>.allocate(capacity: capacity), capacity)
    }

    private func giveBack(_ buffer: (pointer: UnsafeMutablePointer<Float>, capacity: Int)) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(buffer)
        if idle.count > keep, let smallest = idle.indices.min(by: { idle[$0].capacity < idle[$1].capacity }) {
            idle.remove(at: smallest).pointer.deallocate()
        }
    }
}

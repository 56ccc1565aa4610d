import Foundation

/// Reusable float buffers for kernel temporaries (im2col columns, transposed-conv columns), so a run does not
/// map and fault in fresh pages for them at every layer. Thread-safe; a buffer is lent to one caller at a time.
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()

    private let lock = NSLock()
    private var idle: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []
    /// Buffers kept between calls (a conv on two cores holds four at once: a padded image, and per core its
    /// tile and packing scratch); more concurrent borrowers get fresh buffers that are freed afterwards.
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

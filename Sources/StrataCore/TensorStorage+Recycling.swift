import Foundation

/// Freed tensor blocks of 64 KB and more, kept by exact size for the next allocation of that size.
///
/// Running a model allocates the same sizes run after run. Handing a freed block straight back avoids the
/// allocator growing and trimming its heap, which on a virtual machine made every run take page faults on
/// memory it had just freed (recording MobileNetV2's activations cost ~15 % more than not recording, mostly
/// in faults). At most `limit` bytes are held; blocks beyond it go back to the system.
final class StorageRecycler: @unchecked Sendable {
    static let shared = StorageRecycler()

    /// Smallest block worth keeping (smaller ones are cheap for malloc).
    static let minimum = 64 << 10
    /// Bytes held at most.
    let limit = 512 << 20

    private let lock = NSLock()
    private var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    private var held = 0

    /// A kept block of exactly `byteCount` bytes, if there is one.
    func take(_ byteCount: Int) -> UnsafeMutableRawPointer? {
        guard byteCount >= Self.minimum else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let block = idle[byteCount]?.popLast() else { return nil }
        held -= byteCount
        return block
    }

    /// Keeps `block` for reuse; false when it is too small or the pool is full (the caller frees it).
    func keep(_ block: UnsafeMutableRawPointer, _ byteCount: Int) -> Bool {
        guard byteCount >= Self.minimum else { return false }
        lock.lock()
        defer { lock.unlock() }
        guard held + byteCount <= limit else { return false }
        idle[byteCount, default: []].append(block)
        held += byteCount
        return true
    }
}

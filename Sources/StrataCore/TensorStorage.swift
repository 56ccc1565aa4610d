/// The bytes behind a `Tensor`: one 64-byte-aligned allocation, zero-filled unless asked otherwise, freed with the
/// last reference (large blocks are recycled for the next storage of the same size, `StorageRecycler`).
///
/// Shared between tensors that are copies of each other; `Tensor` copies it before a write when it is
/// shared (copy on write), so a storage is never mutated while another tensor can see it.
public final class TensorStorage: @unchecked Sendable {
    /// Size in bytes.
    public let byteCount: Int
    /// Start of the bytes; valid for the storage's lifetime.
    public let bytes: UnsafeMutableRawPointer

    /// Allocates `byteCount` zeroed bytes.
    public convenience init(byteCount: Int) { self.init(byteCount: byteCount, zeroed: true) }

    /// Allocates `byteCount` bytes, zeroed or left as the allocator hands them out (for storage the caller
    /// overwrites completely before anyone reads it).
    public init(byteCount: Int, zeroed: Bool) {
        precondition(byteCount >= 0, "negative tensor size")
        self.byteCount = byteCount
        bytes = StorageRecycler.shared.take(byteCount)
            ?? UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        if zeroed { bytes.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1)) }
    }

    /// A new storage holding a copy of these bytes.
    public func copy() -> TensorStorage {
        let other = TensorStorage(byteCount: byteCount, zeroed: false)
        other.bytes.copyMemory(from: bytes, byteCount: byteCount)
        return other
    }

    deinit {
        if !StorageRecycler.shared.keep(bytes, byteCount) { bytes.deallocate() }
    }
}

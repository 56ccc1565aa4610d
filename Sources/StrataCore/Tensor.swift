/// A dense, contiguous, row-major (C order) n-dimensional array.
///
/// A value type: copies share storage until one of them is written (copy on write), so passing a tensor
/// around or keeping it in a `Trace` never copies its elements.
public struct Tensor: Sendable {
    /// Dimensions, outermost first. `[]` is a scalar (one element).
    public private(set) var shape: [Int]
    /// Element type.
    public let dtype: DType
    /// The shared bytes.
    public private(set) var storage: TensorStorage

    /// A zero-filled tensor.
    public init(dtype: DType, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.dtype = dtype
        storage = TensorStorage(byteCount: Tensor.elementCount(shape) * dtype.byteSize)
    }

    /// A tensor whose elements are not initialised: for results a kernel overwrites completely before anyone
    /// reads them (zero-filling a large output that is then overwritten costs as much as a simple kernel).
    public static func uninitialized(dtype: DType = .float32, shape: [Int]) -> Tensor {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let storage = TensorStorage(byteCount: Tensor.elementCount(shape) * dtype.byteSize, zeroed: false)
        return Tensor(dtype: dtype, shape: shape, storage: storage)
    }

    /// Wraps existing storage; `storage` must hold at least `count(shape) * dtype.byteSize` bytes.
    public init(dtype: DType, shape: [Int], storage: TensorStorage) {
        precondition(Tensor.elementCount(shape) * dtype.byteSize <= storage.byteCount, "storage too small")
        self.shape = shape
        self.dtype = dtype
        self.storage = storage
    }

    /// A tensor holding `scalars` (row-major) with the given shape.
    public init<T: TensorScalar>(shape: [Int], scalars: [T]) {
        precondition(Tensor.elementCount(shape) == scalars.count, "shape \(shape) needs \(Tensor.elementCount(shape)) elements, got \(scalars.count)")
        self = Tensor.uninitialized(dtype: T.dtype, shape: shape)
        scalars.withUnsafeBytes { storage.bytes.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// A float32 tensor holding `floats`.
    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, scalars: floats) }

    /// A float32 tensor with every element `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(dtype: .float32, shape: shape)
        if value != 0 { withUnsafeMutableBufferPointer(of: Float.self) { $0.update(repeating: value) } }
    }

    /// A rank-0 tensor.
    public init<T: TensorScalar>(scalar: T) { self.init(shape: [], scalars: [scalar]) }

    /// Number of elements: the product of `shape` (1 for a scalar).
    public var count: Int { Tensor.elementCount(shape) }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Size of the elements in bytes.
    public var byteCount: Int { count * dtype.byteSize }

    /// Product of dimensions, `nil` if it overflows `Int`.
    public static func checkedElementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }

    static func elementCount(_ shape: [Int]) -> Int {
        guard let n = checkedElementCount(shape) else { preconditionFailure("shape \(shape) has too many elements") }
        return n
    }

    // MARK: - Access

    /// Calls `body` with the elements as `T`, which must be the tensor's element type.
    public func withUnsafeBufferPointer<T: TensorScalar, R>(
        of type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "tensor is \(dtype), read as \(T.dtype)")
        let p = storage.bytes.assumingMemoryBound(to: T.self)
        return try body(UnsafeBufferPointer(start: p, count: count))
    }

    /// Calls `body` with the elements as mutable `T`, copying shared storage first.
    public mutating func withUnsafeMutableBufferPointer<T: TensorScalar, R>(
        of type: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "tensor is \(dtype), written as \(T.dtype)")
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let p = storage.bytes.assumingMemoryBound(to: T.self)
        return try body(UnsafeMutableBufferPointer(start: p, count: count))
    }

    /// Raw bytes of the elements (`byteCount` of them).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.bytes, count: byteCount))
    }

    /// Mutable raw bytes of the elements, copying shared storage first.
    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableRawBufferPointer(start: storage.bytes, count: byteCount))
    }

    /// Float32 elements (a convenience for float32 tensors).
    public func withFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer(of: Float.self, body)
    }

    /// Mutable float32 elements.
    public mutating func withMutableFloats<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer(of: Float.self, body)
    }

    /// A copy of the elements as `T` (the tensor's own type).
    public func scalars<T: TensorScalar>(as type: T.Type) -> [T] {
        withUnsafeBufferPointer(of: T.self) { Array($0) }
    }

    /// The elements converted to `Double`, whatever the element type.
    public var doubles: [Double] { (0..<count).map { double(at: $0) } }

    /// The elements converted to `Float`.
    public var floats: [Float] {
        if dtype == .float32 { return scalars(as: Float.self) }
        return (0..<count).map { Float(double(at: $0)) }
    }

    /// The elements converted to `Int64` (floats truncated toward zero; NaN and ±Inf become 0).
    public var int64s: [Int64] {
        if dtype == .int64 { return scalars(as: Int64.self) }
        return (0..<count).map { i in
            let v = double(at: i)
            guard v.isFinite, abs(v) < 9.2e18 else { return 0 }
            return Int64(v)
        }
    }

    /// The element at flat index `i`, converted to `Double`.
    public func double(at i: Int) -> Double {
        precondition(i >= 0 && i < count, "index \(i) out of range")
        let b = storage.bytes
        switch dtype {
        case .float32: return Double(b.load(fromByteOffset: i * 4, as: Float.self))
        case .float64: return b.load(fromByteOffset: i * 8, as: Double.self)
        case .float16: return Double(b.load(fromByteOffset: i * 2, as: Float16.self))
        case .int64: return Double(b.load(fromByteOffset: i * 8, as: Int64.self))
        case .int32: return Double(b.load(fromByteOffset: i * 4, as: Int32.self))
        case .int16: return Double(b.load(fromByteOffset: i * 2, as: Int16.self))
        case .int8: return Double(b.load(fromByteOffset: i, as: Int8.self))
        case .uint8: return Double(b.load(fromByteOffset: i, as: UInt8.self))
        case .uint16: return Double(b.load(fromByteOffset: i * 2, as: UInt16.self))
        case .uint32: return Double(b.load(fromByteOffset: i * 4, as: UInt32.self))
        case .uint64: return Double(b.load(fromByteOffset: i * 8, as: UInt64.self))
        case .bool: return b.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0
        }
    }

    // MARK: - Reshaping and conversion

    /// The same elements under another shape with the same element count; shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.elementCount(newShape) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(dtype: dtype, shape: newShape, storage: storage)
    }

    /// The elements converted to another element type (NumPy `astype` semantics for in-range values;
    /// float to int truncates toward zero, NaN becomes 0).
    public func converted(to target: DType) -> Tensor {
        if target == dtype { return self }
        let out = Tensor.uninitialized(dtype: target, shape: shape)  // fresh and unshared: written in place below
        let n = count
        let dst = out.storage.bytes
        switch target {
        case .float32: for i in 0..<n { dst.storeBytes(of: Float(double(at: i)), toByteOffset: i * 4, as: Float.self) }
        case .float64: for i in 0..<n { dst.storeBytes(of: double(at: i), toByteOffset: i * 8, as: Double.self) }
        case .float16: for i in 0..<n { dst.storeBytes(of: Float16(double(at: i)), toByteOffset: i * 2, as: Float16.self) }
        case .bool: for i in 0..<n { dst.storeBytes(of: UInt8(double(at: i) != 0 ? 1 : 0), toByteOffset: i, as: UInt8.self) }
        case .int64: store(Int64.self, into: dst, n)
        case .int32: store(Int32.self, into: dst, n)
        case .int16: store(Int16.self, into: dst, n)
        case .int8: store(Int8.self, into: dst, n)
        case .uint8: store(UInt8.self, into: dst, n)
        case .uint16: store(UInt16.self, into: dst, n)
        case .uint32: store(UInt32.self, into: dst, n)
        case .uint64: store(UInt64.self, into: dst, n)
        }
        return out
    }

    private func store<T: FixedWidthInteger>(_ type: T.Type, into dst: UnsafeMutableRawPointer, _ n: Int) {
        let size = MemoryLayout<T>.size
        for i in 0..<n {
            // Exact integer sources keep all their bits (int64 values above 2^53 would not survive Double).
            let v: T
            if dtype == .int64 {
                v = T(truncatingIfNeeded: storage.bytes.load(fromByteOffset: i * 8, as: Int64.self))
            } else if dtype == .uint64 {
                v = T(truncatingIfNeeded: storage.bytes.load(fromByteOffset: i * 8, as: UInt64.self))
            } else {
                let d = double(at: i)
                v = d.isFinite ? T(truncatingIfNeeded: Int64(max(min(d, 9.2e18), -9.2e18))) : 0
            }
            dst.storeBytes(of: v, toByteOffset: i * size, as: T.self)
        }
    }
}

extension Tensor: Equatable {
    /// Same element type, shape and bytes.
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.dtype == b.dtype, a.shape == b.shape else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
    }
}

extension Tensor: CustomStringConvertible {
    /// `float32[1, 3, 224, 224]`.
    public var description: String { "\(dtype)\(shape)" }
}

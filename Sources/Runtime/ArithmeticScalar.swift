import Foundation
import StrataCore

/// An element type the arithmetic kernels compute on. Integer operations wrap on overflow and divide
/// by zero to 0 (ONNX leaves both undefined; a model file must not be able to crash the program).
protocol ArithmeticScalar: TensorScalar, Comparable {
    static func add(_ a: Self, _ b: Self) -> Self
    static func sub(_ a: Self, _ b: Self) -> Self
    static func mul(_ a: Self, _ b: Self) -> Self
    static func div(_ a: Self, _ b: Self) -> Self
    static func pow(_ a: Self, _ b: Self) -> Self
    static func mod(_ a: Self, _ b: Self, fmod: Bool) -> Self
    static var zero: Self { get }
    var asDouble: Double { get }
    init(fromDouble value: Double)
}

extension ArithmeticScalar where Self: BinaryFloatingPoint {
    @inline(__always) static func add(_ a: Self, _ b: Self) -> Self { a + b }
    @inline(__always) static func sub(_ a: Self, _ b: Self) -> Self { a - b }
    @inline(__always) static func mul(_ a: Self, _ b: Self) -> Self { a * b }
    @inline(__always) static func div(_ a: Self, _ b: Self) -> Self { a / b }
    static func pow(_ a: Self, _ b: Self) -> Self { Self(Foundation.pow(Double(a), Double(b))) }
    static func mod(_ a: Self, _ b: Self, fmod: Bool) -> Self {
        let r = Foundation.fmod(Double(a), Double(b))
        if fmod || r == 0 || (r < 0) == (b < 0) { return Self(r) }
        return Self(r + Double(b))
    }
    static var zero: Self { 0 }
    var asDouble: Double { Double(self) }
    init(fromDouble value: Double) { self.init(value) }
}

extension ArithmeticScalar where Self: FixedWidthInteger {
    @inline(__always) static func add(_ a: Self, _ b: Self) -> Self { a &+ b }
    @inline(__always) static func sub(_ a: Self, _ b: Self) -> Self { a &- b }
    @inline(__always) static func mul(_ a: Self, _ b: Self) -> Self { a &* b }
    static func div(_ a: Self, _ b: Self) -> Self {
        if b == 0 { return 0 }
        if Self.isSigned && b == -1 { return 0 &- a }
        return a / b
    }
    static func pow(_ a: Self, _ b: Self) -> Self { Self(fromDouble: Foundation.pow(Double(a), Double(b))) }
    static func mod(_ a: Self, _ b: Self, fmod: Bool) -> Self {
        if b == 0 { return 0 }
        if Self.isSigned && b == -1 { return 0 }
        let r = a % b
        if fmod || r == 0 || (r < 0) == (b < 0) { return r }
        return r &+ b
    }
    static var zero: Self { 0 }
    var asDouble: Double { Double(self) }
    init(fromDouble value: Double) {
        guard value.isFinite else { self = 0; return }
        self = Self(exactly: value.rounded(.towardZero)) ?? (value < 0 ? Self.min : Self.max)
    }
}

extension Float: ArithmeticScalar {
    static func pow(_ a: Float, _ b: Float) -> Float {
        if b == 2 { return a * a }
        return Foundation.powf(a, b)
    }
}
extension Double: ArithmeticScalar {}
extension Float16: ArithmeticScalar {}
extension Int64: ArithmeticScalar {}
extension Int32: ArithmeticScalar {}
extension Int16: ArithmeticScalar {}
extension Int8: ArithmeticScalar {}
extension UInt8: ArithmeticScalar {}
extension UInt16: ArithmeticScalar {}
extension UInt32: ArithmeticScalar {}
extension UInt64: ArithmeticScalar {}

/// Calls the generic `body` with the Swift type of `dtype`, for the arithmetic types (not bool).
protocol ArithmeticDispatch {
    associatedtype Result
    func callAsFunction<T: ArithmeticScalar>(_ type: T.Type) throws -> Result
}

extension ArithmeticDispatch {
    /// Runs `self` for `dtype`, or returns nil for bool.
    func run(_ dtype: DType) throws -> Result? {
        switch dtype {
        case .float32: try self(Float.self)
        case .float64: try self(Double.self)
        case .float16: try self(Float16.self)
        case .int64: try self(Int64.self)
        case .int32: try self(Int32.self)
        case .int16: try self(Int16.self)
        case .int8: try self(Int8.self)
        case .uint8: try self(UInt8.self)
        case .uint16: try self(UInt16.self)
        case .uint32: try self(UInt32.self)
        case .uint64: try self(UInt64.self)
        case .bool: nil
        }
    }
}

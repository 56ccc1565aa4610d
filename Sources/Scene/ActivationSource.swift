import StrataCore

/// Summary statistics of one recorded tensor (NaN and ±Inf excluded from min/max/mean/std).
public struct ActivationStats: Sendable, Equatable, Codable {
    public var min: Float
    public var max: Float
    public var mean: Float
    public var std: Float

    public init(min: Float, max: Float, mean: Float, std: Float) {
        self.min = min
        self.max = max
        self.mean = mean
        self.std = std
    }

    /// Statistics of finite elements of `values`; nil when none is finite.
    public init?<C: Collection>(finite values: C) where C.Element == Float {
        var lo = Float.infinity
        var hi = -Float.infinity
        var sum = 0.0
        var sq = 0.0
        var n = 0
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            sum += Double(v)
            sq += Double(v) * Double(v)
            n += 1
        }
        guard n > 0 else { return nil }
        let mean = sum / Double(n)
        self.init(
            min: lo, max: hi, mean: Float(mean), std: Float(Swift.max(0, sq / Double(n) - mean * mean).squareRoot()))
    }
}

/// Where the scene reads recorded activations: a run's trace, or a dictionary in tests.
public protocol ActivationSource: Sendable {
    /// The recorded tensor of value `name`, in the source model's layout.
    func tensor(named name: String) -> Tensor?
    /// Statistics of value `name`, if recorded.
    func stats(named name: String) -> ActivationStats?
}

/// An `ActivationSource` over a dictionary of tensors; statistics are computed once, on creation.
public struct TensorDictionarySource: ActivationSource {
    public let tensors: [String: Tensor]
    private let statsByName: [String: ActivationStats]

    public init(_ tensors: [String: Tensor]) {
        self.tensors = tensors
        var s: [String: ActivationStats] = [:]
        for (name, t) in tensors where t.dtype.isFloatingPointLike {
            if let st = t.withFloatsConverted({ ActivationStats(finite: $0) }) { s[name] = st }
        }
        statsByName = s
    }

    public func tensor(named name: String) -> Tensor? { tensors[name] }
    public func stats(named name: String) -> ActivationStats? { statsByName[name] }
}

extension DType {
    /// Types whose values a colormap can show (everything but booleans).
    var isFloatingPointLike: Bool { self != .bool }
}

extension Tensor {
    /// Calls `body` with the elements as `Float`, converting first when needed.
    func withFloatsConverted<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        dtype == .float32 ? withFloats(body) : converted(to: .float32).withFloats(body)
    }
}

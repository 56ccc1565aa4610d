import StrataCore

/// Summary statistics of one tensor, from one pass over its elements. `min`, `max`, `mean` and `std`
/// (population standard deviation) are over the finite elements and are 0 when there is none.
public struct TensorStats: Sendable, Equatable, Codable {
    /// Number of elements.
    public var count: Int
    /// Elements equal to zero.
    public var zeros: Int
    /// NaN elements.
    public var nanCount: Int
    /// +Inf and -Inf elements.
    public var infCount: Int
    public var min: Float
    public var max: Float
    public var mean: Float
    public var std: Float

    /// Elements that are neither NaN nor infinite.
    public var finiteCount: Int { count - nanCount - infCount }

    public init(count: Int, zeros: Int, nanCount: Int, infCount: Int, min: Float, max: Float, mean: Float, std: Float) {
        (self.count, self.zeros, self.nanCount, self.infCount) = (count, zeros, nanCount, infCount)
        (self.min, self.max, self.mean, self.std) = (min, max, mean, std)
    }

    /// Statistics of `tensor`, any element type (integers and bools are counted as their numeric values).
    public init(_ tensor: Tensor) {
        if tensor.dtype == .float32 {
            self = tensor.withFloats { Self.measure($0) }
        } else {
            self = Self.measure(tensor.doubles.map { Float($0) })
        }
    }

    /// Sums in double precision so long tensors keep their accuracy.
    static func measure<C: Collection>(_ values: C) -> TensorStats where C.Element == Float {
        var accumulator = Accumulator()
        accumulator.add(values)
        return accumulator.stats
    }

    /// Statistics of values fed in order, a part at a time: the same as measuring them all at once.
    struct Accumulator {
        private var count = 0, zeros = 0, nans = 0, infs = 0
        private var lo = Float.infinity, hi = -Float.infinity
        private var sum = 0.0, squares = 0.0

        mutating func add<C: Collection>(_ values: C) where C.Element == Float {
            // Locals, not the fields: the loop keeps them in registers.
            var (zeros, nans, infs, lo, hi, sum, squares) = (zeros, nans, infs, lo, hi, sum, squares)
            for v in values {
                if v.isFinite {
                    zeros &+= v == 0 ? 1 : 0
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                    let d = Double(v)
                    sum += d
                    squares += d * d
                } else if v.isNaN {
                    nans &+= 1
                } else {
                    infs &+= 1
                }
            }
            count += values.count
            (self.zeros, self.nans, self.infs) = (zeros, nans, infs)
            (self.lo, self.hi, self.sum, self.squares) = (lo, hi, sum, squares)
        }

        var stats: TensorStats {
            let finite = count - nans - infs
            guard finite > 0 else {
                return TensorStats(count: count, zeros: 0, nanCount: nans, infCount: infs, min: 0, max: 0, mean: 0, std: 0)
            }
            let mean = sum / Double(finite)
            let variance = Swift.max(0, squares / Double(finite) - mean * mean)
            return TensorStats(count: count, zeros: zeros, nanCount: nans, infCount: infs, min: lo, max: hi,
                               mean: Float(mean), std: Float(variance.squareRoot()))
        }
    }
}

import StrataCore

/// The bounds of a Clip that a recording run leaves to the nodes reading it (`ClipOnRead.swift`): each applies
/// it to the values it reads, which gives the bits the Clip's own output would have (clamping rounds nothing,
/// and clamping twice changes nothing).
struct ClipBounds: Sendable, Equatable {
    var low: Float, high: Float

    /// `dst[i] = src[i]` clamped to the bounds (NaN stays NaN).
    @inline(__always)
    func apply(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        FloatSIMD.clip(src, dst, count: count, low: low, high: high)
    }

    /// A float32 tensor clamped to the bounds; any other tensor unchanged.
    func applied(to x: Tensor) -> Tensor {
        guard x.dtype == .float32 else { return x }
        var y = Tensor.uninitialized(dtype: .float32, shape: x.shape)
        y.withMutableFloats { dst in
            x.withUnsafeBufferPointer(of: Float.self) { src in
                FloatSIMD.split(src.count) { r in
                    apply(src.baseAddress! + r.lowerBound, dst.baseAddress! + r.lowerBound, count: r.count)
                }
            }
        }
        return y
    }
}

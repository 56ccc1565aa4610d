import AVX2Kernels

/// AVX2Kernels' `DepthwiseRows` compiled for AVX-512: the same loops (inlined from their `@inlinable` bodies), each
/// sixteen-lane vector one zmm register instead of two ymm, the same bits.
public enum DepthwiseRowsAVX512 {
    /// `DepthwiseRows.stride1`.
    public static func stride1(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                               _ k: DepthwiseRows.Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>, lower: Int,
                               upper: Int) -> Int {
        DepthwiseRows.stride1Rows(r0, r1, r2, k, bias, out, lower: lower, upper: upper)
    }

    /// `DepthwiseRows.stride2`.
    public static func stride2(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                               _ k: DepthwiseRows.Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>, lower: Int,
                               upper: Int) -> Int {
        DepthwiseRows.stride2Rows(r0, r1, r2, k, bias, out, lower: lower, upper: upper)
    }

    /// `DepthwiseRows.flat`.
    public static func flat(_ p: UnsafePointer<Float>, _ k: DepthwiseRows.Taps, _ bias: Float,
                            _ out: UnsafeMutablePointer<Float>, pitch: Int, count: Int) {
        DepthwiseRows.flatPlane(p, k, bias, out, pitch: pitch, count: count)
    }
}

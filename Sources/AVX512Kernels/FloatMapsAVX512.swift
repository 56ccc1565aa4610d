import AVX2Kernels

/// AVX2Kernels' `FloatMaps` compiled for AVX-512 (inlined from their `@inlinable` bodies): the same loops, each
/// sixteen-lane vector one zmm register instead of two ymm, the same values.
public enum FloatMapsAVX512 {
    /// `FloatMaps.relu`.
    public static func relu(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        FloatMaps.reluLoop(src, dst, count: count)
    }

    /// `FloatMaps.clip`.
    public static func clip(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, low: Float,
                            high: Float) {
        FloatMaps.clipLoop(src, dst, count: count, low: low, high: high)
    }

    /// `FloatMaps.affine`.
    public static func affine(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, scale: Float,
                              shift: Float) {
        FloatMaps.affineLoop(src, dst, count: count, scale: scale, shift: shift)
    }

    /// `FloatMaps.multiply`.
    public static func multiply(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                                by factor: Float) {
        FloatMaps.multiplyLoop(src, dst, count: count, by: factor)
    }

    /// `FloatMaps.add`.
    public static func add(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, _ term: Float) {
        FloatMaps.addLoop(src, dst, count: count, term)
    }

    /// `FloatMaps.sum`.
    public static func sum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                           count: Int) {
        FloatMaps.sumLoop(a, b, dst, count: count)
    }
}

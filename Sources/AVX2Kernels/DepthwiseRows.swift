/// The sixteen-lane loops of Strata's 3×3 depthwise convolution, compiled for AVX2: each output is
/// `bias + row0 + row1 + row2`, each row `k0·a + k1·b + k2·c` over its three taps, in exactly the order of the
/// scalar loops (no fused multiply-adds), so every path gives the same bits.
///
/// `Depthwise` in Runtime holds the same loops for CPUs without AVX2 (Swift has no per-function target attribute:
/// the same text is compiled in two modules for two instruction sets). AVX512Kernels compiles these loops again
/// for AVX-512: it inlines the `@inlinable` bodies (`stride1Rows`, ...), which are compiled where they are inlined;
/// Runtime calls only the public functions, compiled here.
public enum DepthwiseRows {
    /// The nine weights of one 3×3 kernel, row-major.
    public typealias Taps = (Float, Float, Float, Float, Float, Float, Float, Float, Float)
    @usableFromInline typealias V = SIMD16<Float>

    @inlinable @inline(__always)
    static func tapSum(_ r0: (V, V, V), _ r1: (V, V, V), _ r2: (V, V, V), _ k: Taps, _ bias: Float) -> V {
        let a = k.0 * r0.0 + k.1 * r0.1 + k.2 * r0.2
        let b = k.3 * r1.0 + k.4 * r1.1 + k.5 * r1.2
        return V(repeating: bias) + a + b + (k.6 * r2.0 + k.7 * r2.1 + k.8 * r2.2)
    }

    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    /// Calls `sixteen(ox)` over `lower..<upper` sixteen outputs at a time; a row of 16 or more that does not
    /// divide ends with sixteen that overlap the previous ones (recomputed to the same bits) instead of a scalar
    /// tail. Returns the first output left for the caller's scalar loop.
    @inlinable @inline(__always)
    static func inSixteens(lower: Int, upper: Int, _ sixteen: (Int) -> Void) -> Int {
        var ox = lower
        while ox &+ 16 <= upper {
            sixteen(ox)
            ox &+= 16
        }
        if ox < upper && upper &- lower >= 16 {
            sixteen(upper &- 16)
            ox = upper
        }
        return ox
    }

    /// Stride-1 outputs `lower..<upper` of one row, sixteen at a time, tap rows `r0`, `r1`, `r2` (output `ox` reads
    /// columns `ox`, `ox+1`, `ox+2`); a row of 16 or more ends with sixteen outputs that overlap the previous ones
    /// (recomputed to the same bits). Returns the first output left for the caller's scalar loop.
    public static func stride1(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                               _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>, lower: Int, upper: Int) -> Int {
        stride1Rows(r0, r1, r2, k, bias, out, lower: lower, upper: upper)
    }

    /// The body of `stride1`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func stride1Rows(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                                 _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>, lower: Int,
                                 upper: Int) -> Int {
        @inline(__always) func sixteen(_ ox: Int) {
            func taps(_ r: UnsafePointer<Float>) -> (V, V, V) { (load(r + ox), load(r + (ox &+ 1)), load(r + (ox &+ 2))) }
            UnsafeMutableRawPointer(out + ox).storeBytes(of: tapSum(taps(r0), taps(r1), taps(r2), k, bias), as: V.self)
        }
        return inSixteens(lower: lower, upper: upper, sixteen)
    }

    /// Stride-2 outputs `lower..<upper` of one row, sixteen at a time (output `ox` reads columns `2ox`, `2ox+1`,
    /// `2ox+2`: the even and odd halves of a 32-wide load at `2ox`, and the odd half of one at `2ox+1`, which reads
    /// no further than `2(ox+15)+2`); a row of 16 or more ends with sixteen outputs that overlap the previous
    /// ones. Returns the first output left for the caller's scalar loop.
    public static func stride2(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                               _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>, lower: Int, upper: Int) -> Int {
        stride2Rows(r0, r1, r2, k, bias, out, lower: lower, upper: upper)
    }

    /// The body of `stride2`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func stride2Rows(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                                 _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>, lower: Int,
                                 upper: Int) -> Int {
        @inline(__always) func sixteen(_ ox: Int) {
            let i = 2 &* ox
            func taps(_ r: UnsafePointer<Float>) -> (V, V, V) {
                let a = UnsafeRawPointer(r + i).loadUnaligned(as: SIMD32<Float>.self)
                let b = UnsafeRawPointer(r + (i &+ 1)).loadUnaligned(as: SIMD32<Float>.self)
                return (a.evenHalf, a.oddHalf, b.oddHalf)
            }
            UnsafeMutableRawPointer(out + ox).storeBytes(of: tapSum(taps(r0), taps(r1), taps(r2), k, bias), as: V.self)
        }
        return inSixteens(lower: lower, upper: upper, sixteen)
    }

    /// A whole padded plane of pitch `pitch` at once: `out[o]` for `o` in `0..<count` (a multiple of 16), output `o`
    /// reading `p[o + ky·pitch + kx]`.
    public static func flat(_ p: UnsafePointer<Float>, _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>,
                            pitch: Int, count: Int) {
        flatPlane(p, k, bias, out, pitch: pitch, count: count)
    }

    /// The body of `flat`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func flatPlane(_ p: UnsafePointer<Float>, _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>,
                                 pitch: Int, count: Int) {
        let r1 = p + pitch, r2 = p + 2 &* pitch
        var o = 0
        while o < count {
            func taps(_ r: UnsafePointer<Float>) -> (V, V, V) { (load(r + o), load(r + (o &+ 1)), load(r + (o &+ 2))) }
            UnsafeMutableRawPointer(out + o).storeBytes(of: tapSum(taps(p), taps(r1), taps(r2), k, bias), as: V.self)
            o &+= 16
        }
    }
}

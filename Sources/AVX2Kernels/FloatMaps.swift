/// The elementwise loops that run after nearly every convolution (Relu, Clip, the BatchNormalization affine
/// map, Mul and Add by a constant, the residual sum), compiled for AVX2. Each gives exactly the values of
/// Strata's scalar loops: the same single operations in the same order (no fused multiply-add), NaN kept.
///
/// `FloatSIMD` in Runtime holds the same loops for CPUs without AVX2. Swift has no per-function target attribute,
/// so the two are the same text compiled in two modules for two instruction sets. AVX512Kernels compiles these
/// loops a third time, for AVX-512, from their `@inlinable` bodies (`reluLoop`, ...); Runtime calls only the
/// public functions, compiled here.
public enum FloatMaps {
    @usableFromInline typealias V = SIMD16<Float>

    @inlinable @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inlinable @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// `dst[i] = src[i] <= 0 ? 0 : src[i]` (NaN stays NaN).
    public static func relu(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        reluLoop(src, dst, count: count)
    }

    /// The body of `relu`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func reluLoop(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 16 <= count {
            let v = load(src + i)
            store(v.replacing(with: 0, where: v .<= 0), dst + i)
            i &+= 16
        }
        while i < count {
            let v = src[i]
            dst[i] = v <= 0 ? 0 : v
            i &+= 1
        }
    }

    /// Clamps to `[low, high]`; NaN stays NaN.
    public static func clip(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, low: Float,
                            high: Float) {
        clipLoop(src, dst, count: count, low: low, high: high)
    }

    /// The body of `clip`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func clipLoop(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                                low: Float, high: Float) {
        var i = 0
        while i &+ 16 <= count {
            store(clamped(load(src + i), low, high), dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = clamped(src[i], low, high)
            i &+= 1
        }
    }

    /// `v` clamped lane by lane. Written as the scalar test, it compiles to one max and one min per vector;
    /// `SIMD.replace(with:where:)` compiles to a compare and a blend for each bound, twice the instructions.
    /// (AVX512Kernels' loops inline it too.)
    @inlinable @inline(__always)
    public static func clamped(_ v: SIMD16<Float>, _ low: Float, _ high: Float) -> SIMD16<Float> {
        var r = V()
        for lane in 0..<16 { r[lane] = clamped(v[lane], low, high) }
        return r
    }

    /// `value` raised to `low` and lowered to `high`; NaN stays NaN.
    @inlinable @inline(__always)
    static func clamped(_ value: Float, _ low: Float, _ high: Float) -> Float {
        var v = value
        if v < low { v = low }
        if v > high { v = high }
        return v
    }

    /// `dst[i] = src[i] * scale + shift`, rounded after the product and after the sum.
    public static func affine(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, scale: Float,
                              shift: Float) {
        affineLoop(src, dst, count: count, scale: scale, shift: shift)
    }

    /// The body of `affine`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func affineLoop(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                                  scale: Float, shift: Float) {
        var i = 0
        let a = V(repeating: scale), b = V(repeating: shift)
        while i &+ 16 <= count {
            store(load(src + i) * a + b, dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = src[i] * scale + shift
            i &+= 1
        }
    }

    /// `dst[i] = src[i] * factor`.
    public static func multiply(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        multiplyLoop(src, dst, count: count, by: factor)
    }

    /// The body of `multiply`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func multiplyLoop(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                                    by factor: Float) {
        var i = 0
        let f = V(repeating: factor)
        while i &+ 16 <= count {
            store(load(src + i) * f, dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = src[i] * factor
            i &+= 1
        }
    }

    /// `dst[i] = src[i] + term`.
    public static func add(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, _ term: Float) {
        addLoop(src, dst, count: count, term)
    }

    /// The body of `add`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func addLoop(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                               _ term: Float) {
        var i = 0
        let t = V(repeating: term)
        while i &+ 16 <= count {
            store(load(src + i) + t, dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = src[i] + term
            i &+= 1
        }
    }

    /// `dst[i] = a[i] + b[i]`.
    public static func sum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                           count: Int) {
        sumLoop(a, b, dst, count: count)
    }

    /// The body of `sum`, for AVX512Kernels to compile again.
    @inlinable @inline(__always)
    public static func sumLoop(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                               count: Int) {
        var i = 0
        while i &+ 16 <= count {
            store(load(a + i) + load(b + i), dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = a[i] + b[i]
            i &+= 1
        }
    }
}

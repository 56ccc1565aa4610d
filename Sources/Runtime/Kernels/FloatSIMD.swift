import AVX2Kernels
import AVX512Kernels
import StrataCore

/// Vectorised float32 loops for the cheap elementwise kernels that run after nearly every convolution (Relu,
/// Clip, the BatchNormalization affine map). Sixteen lanes per step; the few trailing elements run scalar.
/// Each keeps the scalar kernels' exact results, NaN included; where the CPU has AVX2 (`VectorGemm`), the same
/// loops compiled for it (`FloatMaps`) run instead.
enum FloatSIMD {
    typealias Vector = SIMD16<Float>

    /// `max(x, 0)` with NaN kept (ONNX Relu): `dst[i] = src[i] > 0 || src[i] is NaN ? src[i] : 0`.
    static func relu(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        if VectorGemm.isWide { return FloatMapsAVX512.relu(src, dst, count: count) }
        if VectorGemm.isAvailable { return FloatMaps.relu(src, dst, count: count) }
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

    /// Clamps to `[low, high]` (either bound optional); NaN stays NaN.
    static func clip(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, low: Float?, high: Float?) {
        let lo = low ?? -.infinity, hi = high ?? .infinity
        if VectorGemm.isWide { return FloatMapsAVX512.clip(src, dst, count: count, low: lo, high: hi) }
        if VectorGemm.isAvailable { return FloatMaps.clip(src, dst, count: count, low: lo, high: hi) }
        var i = 0
        while i &+ 16 <= count {
            store(clamped(load(src + i), lo, hi), dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = clamped(src[i], lo, hi)
            i &+= 1
        }
    }

    /// `v` clamped lane by lane, as the scalar test: a max and a min per vector (see `FloatMaps.clamped`).
    @inline(__always)
    private static func clamped(_ v: Vector, _ low: Float, _ high: Float) -> Vector {
        var r = Vector()
        for lane in 0..<16 { r[lane] = clamped(v[lane], low, high) }
        return r
    }

    @inline(__always)
    private static func clamped(_ value: Float, _ low: Float, _ high: Float) -> Float {
        var v = value
        if v < low { v = low }
        if v > high { v = high }
        return v
    }

    /// `dst[i] = src[i] * scale + shift` (two roundings, as the scalar BatchNormalization loop).
    static func affine(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, scale: Float, shift: Float) {
        if VectorGemm.isWide { return FloatMapsAVX512.affine(src, dst, count: count, scale: scale, shift: shift) }
        if VectorGemm.isAvailable { return FloatMaps.affine(src, dst, count: count, scale: scale, shift: shift) }
        var i = 0
        let a = Vector(repeating: scale), b = Vector(repeating: shift)
        while i &+ 16 <= count {
            store(load(src + i) * a + b, dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = src[i] * scale + shift
            i &+= 1
        }
    }

    /// `dst[i] = src[i] * factor` (the Mul kernel's value for a constant operand).
    static func multiply(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        if VectorGemm.isWide { return FloatMapsAVX512.multiply(src, dst, count: count, by: factor) }
        if VectorGemm.isAvailable { return FloatMaps.multiply(src, dst, count: count, by: factor) }
        var i = 0
        let f = Vector(repeating: factor)
        while i &+ 16 <= count {
            store(load(src + i) * f, dst + i)
            i &+= 16
        }
        while i < count {
            dst[i] = src[i] * factor
            i &+= 1
        }
    }

    /// `dst[i] = src[i] + term` (the Add kernel's value for a constant operand).
    static func add(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, _ term: Float) {
        if VectorGemm.isWide { return FloatMapsAVX512.add(src, dst, count: count, term) }
        if VectorGemm.isAvailable { return FloatMaps.add(src, dst, count: count, term) }
        var i = 0
        let t = Vector(repeating: term)
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
    static func sum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        if VectorGemm.isWide { return FloatMapsAVX512.sum(a, b, dst, count: count) }
        if VectorGemm.isAvailable { return FloatMaps.sum(a, b, dst, count: count) }
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

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// Runs `body(range)` over `0..<count` elements, on the cores when the tensor is large enough (two 64k
    /// blocks) for the second core to pay for its dispatch.
    @inline(__always)
    static func split(_ count: Int, _ body: (Range<Int>) -> Void) {
        let chunk = 1 << 16
        guard count >= 2 * chunk else { return body(0..<count) }
        ParallelFor.run((count + chunk - 1) / chunk, cost: chunk) { blocks in
            body((blocks.lowerBound * chunk)..<min(count, blocks.upperBound * chunk))
        }
    }
}

import CPrefetch

/// The register tiles of `PositionGemmAVX512`: six output positions times one or two 16-channel weight panels,
/// the positions' inputs broadcast from the image where they lie (tap `p` of position `r` at `image[taps[p] +
/// f[r]]`) instead of from a gathered panel. The sums are those of `WideTile.pair` and `WideTile.single` on the
/// gathered panel, to the bit: the same start from `c`, the same products in depth order.
enum PositionTile {
    /// How far ahead, in floats of a weight panel (96 depth steps), the tiles ask for the weights they stream: see
    /// `WideTile.prefetchDistance`.
    static let prefetchDistance = 1536

    /// `c[r, 0..<16] += Σ_p image[taps[p] + f[r]] · b0[p·16 + 0..<16]` and `c[r, 16..<32]` likewise from `b1`,
    /// for the six positions `r` (row stride `ldc`).
    @inline(__always)
    static func pair(depth: Int, image: UnsafePointer<Float>, taps: UnsafePointer<Int>, positions f: UnsafePointer<Int>,
                     b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        var c00 = load(c), c01 = load(c + 16), c10 = load(c + ldc), c11 = load(c + ldc + 16)
        var c20 = load(c + 2 * ldc), c21 = load(c + 2 * ldc + 16), c30 = load(c + 3 * ldc)
        var c31 = load(c + 3 * ldc + 16), c40 = load(c + 4 * ldc), c41 = load(c + 4 * ldc + 16)
        var c50 = load(c + 5 * ldc), c51 = load(c + 5 * ldc + 16)
        let (f0, f1, f2, f3, f4, f5) = (f[0], f[1], f[2], f[3], f[4], f[5])
        var p0 = b0, p1 = b1
        for p in 0..<depth {
            let source = image + taps[p]
            let x0 = load(p0), x1 = load(p1)
            strata_prefetch(p0 + prefetchDistance)
            strata_prefetch(p1 + prefetchDistance)
            var x = splat(source[f0]); c00.addProduct(x, x0); c01.addProduct(x, x1)
            x = splat(source[f1]); c10.addProduct(x, x0); c11.addProduct(x, x1)
            x = splat(source[f2]); c20.addProduct(x, x0); c21.addProduct(x, x1)
            x = splat(source[f3]); c30.addProduct(x, x0); c31.addProduct(x, x1)
            x = splat(source[f4]); c40.addProduct(x, x0); c41.addProduct(x, x1)
            x = splat(source[f5]); c50.addProduct(x, x0); c51.addProduct(x, x1)
            p0 += WideTile.columns
            p1 += WideTile.columns
        }
        store(c00, c); store(c01, c + 16); store(c10, c + ldc); store(c11, c + ldc + 16)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 16); store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 16)
        store(c40, c + 4 * ldc); store(c41, c + 4 * ldc + 16); store(c50, c + 5 * ldc); store(c51, c + 5 * ldc + 16)
    }

    /// `pair` with one weight panel: `c[r, 0..<16] += Σ_p image[taps[p] + f[r]] · b[p·16 + 0..<16]`.
    @inline(__always)
    static func single(depth: Int, image: UnsafePointer<Float>, taps: UnsafePointer<Int>,
                       positions f: UnsafePointer<Int>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        var c0 = load(c), c1 = load(c + ldc), c2 = load(c + 2 * ldc)
        var c3 = load(c + 3 * ldc), c4 = load(c + 4 * ldc), c5 = load(c + 5 * ldc)
        let (f0, f1, f2, f3, f4, f5) = (f[0], f[1], f[2], f[3], f[4], f[5])
        var pb = b
        for p in 0..<depth {
            let source = image + taps[p]
            let x = load(pb)
            strata_prefetch(pb + prefetchDistance)
            c0.addProduct(splat(source[f0]), x); c1.addProduct(splat(source[f1]), x)
            c2.addProduct(splat(source[f2]), x); c3.addProduct(splat(source[f3]), x)
            c4.addProduct(splat(source[f4]), x); c5.addProduct(splat(source[f5]), x)
            pb += WideTile.columns
        }
        store(c0, c); store(c1, c + ldc); store(c2, c + 2 * ldc)
        store(c3, c + 3 * ldc); store(c4, c + 4 * ldc); store(c5, c + 5 * ldc)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { WideTile.load(p) }
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { WideTile.load(p) }
    @inline(__always) static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { WideTile.store(v, p) }
    @inline(__always) static func splat(_ v: Float) -> SIMD16<Float> { WideTile.splat(v) }
}

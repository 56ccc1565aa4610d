import CPrefetch

/// The tiles of `PositionGemmAVX512` for a panel that holds one real position (its other rows repeat it): a 7×7
/// plane's ninth panel. They compute that position's row alone, up to four 16-channel panels at once, where
/// `PositionTile` would compute six rows for it; the row's sums are those of `PositionTile`, to the bit (the same
/// start from `c`, the same products in depth order).
enum PositionRowTile {
    /// Whether the six positions at `f` hold one real position: the second repeats the first (a panel's rows past
    /// the plane repeat its last position, and two real positions never lie at the same place).
    @inline(__always)
    static func holdsOnePosition(_ f: UnsafePointer<Int>) -> Bool { f[1] == f[0] }

    /// Adds to `c[0, 16·i..<16·(i+1)]` the products of position `f` with the weight panels `b + i·panelStride`, for
    /// the `count` panels `i` in `0..<count`.
    @inline(__always)
    static func row(depth: Int, image: UnsafePointer<Float>, taps: UnsafePointer<Int>, position f: Int,
                    b: UnsafePointer<Float>, panelStride: Int, count: Int, c: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 3 < count {
            quad(depth: depth, image: image + f, taps: taps, b: b + i * panelStride, panelStride: panelStride,
                 c: c + i * WideTile.columns)
            i += 4
        }
        if i + 1 < count {
            pair(depth: depth, image: image + f, taps: taps, b0: b + i * panelStride, b1: b + (i + 1) * panelStride,
                 c: c + i * WideTile.columns)
            i += 2
        }
        if i < count {
            single(depth: depth, image: image + f, taps: taps, b: b + i * panelStride, c: c + i * WideTile.columns)
        }
    }

    /// Four panels: `c[16·i..<16·(i+1)] += Σ_p source[taps[p]] · b_i[p·16 + 0..<16]`.
    @inline(__always)
    private static func quad(depth: Int, image source: UnsafePointer<Float>, taps: UnsafePointer<Int>,
                             b: UnsafePointer<Float>, panelStride: Int, c: UnsafeMutablePointer<Float>) {
        var c0 = load(c), c1 = load(c + 16), c2 = load(c + 32), c3 = load(c + 48)
        var p0 = b, p1 = b + panelStride, p2 = b + 2 * panelStride, p3 = b + 3 * panelStride
        for p in 0..<depth {
            let x = WideTile.splat(source[taps[p]])
            strata_prefetch(p0 + PositionTile.prefetchDistance)
            strata_prefetch(p1 + PositionTile.prefetchDistance)
            strata_prefetch(p2 + PositionTile.prefetchDistance)
            strata_prefetch(p3 + PositionTile.prefetchDistance)
            c0.addProduct(x, load(p0)); c1.addProduct(x, load(p1)); c2.addProduct(x, load(p2)); c3.addProduct(x, load(p3))
            p0 += WideTile.columns; p1 += WideTile.columns; p2 += WideTile.columns; p3 += WideTile.columns
        }
        store(c0, c); store(c1, c + 16); store(c2, c + 32); store(c3, c + 48)
    }

    /// Two panels, `b0` and `b1`.
    @inline(__always)
    private static func pair(depth: Int, image source: UnsafePointer<Float>, taps: UnsafePointer<Int>,
                             b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        var c0 = load(c), c1 = load(c + 16)
        var p0 = b0, p1 = b1
        for p in 0..<depth {
            let x = WideTile.splat(source[taps[p]])
            strata_prefetch(p0 + PositionTile.prefetchDistance)
            strata_prefetch(p1 + PositionTile.prefetchDistance)
            c0.addProduct(x, load(p0)); c1.addProduct(x, load(p1))
            p0 += WideTile.columns; p1 += WideTile.columns
        }
        store(c0, c); store(c1, c + 16)
    }

    /// One panel.
    @inline(__always)
    private static func single(depth: Int, image source: UnsafePointer<Float>, taps: UnsafePointer<Int>,
                               b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        var c0 = load(c)
        var pb = b
        for p in 0..<depth {
            strata_prefetch(pb + PositionTile.prefetchDistance)
            c0.addProduct(WideTile.splat(source[taps[p]]), load(pb))
            pb += WideTile.columns
        }
        store(c0, c)
    }

    @inline(__always) private static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { WideTile.load(p) }
    @inline(__always) private static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { WideTile.load(p) }
    @inline(__always) private static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { WideTile.store(v, p) }
}

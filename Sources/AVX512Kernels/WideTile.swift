import CPrefetch

/// The register tiles of the AVX-512 products: six rows of packed A times one or two 16-column panels of B, each
/// row of a panel one 16-lane vector. The pair tile keeps twelve accumulators (with the two B vectors, 14 of the
/// 32 zmm registers; the A values are broadcast from memory by the multiply-adds themselves).
///
/// Every sum is its start plus the products in depth order, one fused multiply-add each, as in AVX2Kernels'
/// `MicroKernel`: both give the same bits.
enum WideTile {
    /// Rows of one tile (the packed A panel height, `PackedGemm.panelRows`).
    static let rows = 6
    /// Columns of one B panel: one 16-lane vector.
    static let columns = 16

    /// How far ahead of the multiply-adds, in floats of packed A, the tiles ask for A (3 KB, 128 depth steps). A
    /// conv's weights come from memory once a run; the hardware's prefetchers, ahead of a stream read 24 bytes a
    /// step, left the tiles waiting on it: a chain of sixteen 1×1 convs at 7×7 (26 MB of weights) took 2.49–2.58 ms
    /// against 1.90–2.32 with the prefetch (minimums of three alternated rounds), MobileNetV2 1.55 against 1.47
    /// times onnxruntime's time.
    static let prefetchDistance = 768

    /// How a tile's sums start: from zero, from one value per row (a bias), or from what `c` holds.
    enum Start {
        case zero
        case rowValues(UnsafePointer<Float>)
        case accumulate
    }

    /// `c[r, 0..<16] (+)= Σ_p a[p·6 + r] · b0[p·16 + 0..<16]` and `c[r, 16..<32]` likewise from `b1`, for the six
    /// rows `r`, `c` with row stride `ldc`. With `offsets`, row `p` of the panels is read in place at
    /// `b0 + offsets[p]` and `b1 + offsets[p]` instead of from packed panels.
    @inline(__always)
    static func pair(depth: Int, a: UnsafePointer<Float>, b0: UnsafePointer<Float>, b1: UnsafePointer<Float>,
                     offsets: UnsafePointer<Int>?, c: UnsafeMutablePointer<Float>, ldc: Int, start: Start) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        switch start {
        case .zero:
            break
        case .rowValues(let v):
            c00 = splat(v[0]); c01 = c00; c10 = splat(v[1]); c11 = c10; c20 = splat(v[2]); c21 = c20
            c30 = splat(v[3]); c31 = c30; c40 = splat(v[4]); c41 = c40; c50 = splat(v[5]); c51 = c50
        case .accumulate:
            c00 = load(c); c01 = load(c + 16); c10 = load(c + ldc); c11 = load(c + ldc + 16)
            c20 = load(c + 2 * ldc); c21 = load(c + 2 * ldc + 16); c30 = load(c + 3 * ldc); c31 = load(c + 3 * ldc + 16)
            c40 = load(c + 4 * ldc); c41 = load(c + 4 * ldc + 16); c50 = load(c + 5 * ldc); c51 = load(c + 5 * ldc + 16)
        }
        // Two copies of the depth loop, not one with a branch per step: each keeps its own registers.
        var pa = a, p0 = b0, p1 = b1
        if let offsets {
            for p in 0..<depth {
                let x0 = load(b0 + offsets[p]), x1 = load(b1 + offsets[p])
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, x0); c01.addProduct(x, x1)
                x = splat(pa[1]); c10.addProduct(x, x0); c11.addProduct(x, x1)
                x = splat(pa[2]); c20.addProduct(x, x0); c21.addProduct(x, x1)
                x = splat(pa[3]); c30.addProduct(x, x0); c31.addProduct(x, x1)
                x = splat(pa[4]); c40.addProduct(x, x0); c41.addProduct(x, x1)
                x = splat(pa[5]); c50.addProduct(x, x0); c51.addProduct(x, x1)
                pa += rows
            }
        } else {
            for _ in 0..<depth {
                let x0 = load(p0), x1 = load(p1)
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, x0); c01.addProduct(x, x1)
                x = splat(pa[1]); c10.addProduct(x, x0); c11.addProduct(x, x1)
                x = splat(pa[2]); c20.addProduct(x, x0); c21.addProduct(x, x1)
                x = splat(pa[3]); c30.addProduct(x, x0); c31.addProduct(x, x1)
                x = splat(pa[4]); c40.addProduct(x, x0); c41.addProduct(x, x1)
                x = splat(pa[5]); c50.addProduct(x, x0); c51.addProduct(x, x1)
                pa += rows
                p0 += columns
                p1 += columns
            }
        }
        store(c00, c); store(c01, c + 16); store(c10, c + ldc); store(c11, c + ldc + 16)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 16); store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 16)
        store(c40, c + 4 * ldc); store(c41, c + 4 * ldc + 16); store(c50, c + 5 * ldc); store(c51, c + 5 * ldc + 16)
    }

    /// The first `height` (at most 4) rows of a pair tile, for a last row panel of 4 rows or fewer (16 output
    /// channels leave 4 in their third panel): eight accumulators. `offsets` as in `pair`.
    @inline(__always)
    static func shortPair(depth: Int, a: UnsafePointer<Float>, b0: UnsafePointer<Float>, b1: UnsafePointer<Float>,
                          offsets: UnsafePointer<Int>?, c: UnsafeMutablePointer<Float>, ldc: Int, height: Int,
                          start: Start) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        switch start {
        case .zero:
            break
        case .rowValues(let v):
            c00 = splat(v[0]); c01 = c00; c10 = splat(v[1]); c11 = c10; c20 = splat(v[2]); c21 = c20
            c30 = splat(v[3]); c31 = c30
        case .accumulate:
            c00 = load(c); c01 = load(c + 16)
            if height > 1 { c10 = load(c + ldc); c11 = load(c + ldc + 16) }
            if height > 2 { c20 = load(c + 2 * ldc); c21 = load(c + 2 * ldc + 16) }
            if height > 3 { c30 = load(c + 3 * ldc); c31 = load(c + 3 * ldc + 16) }
        }
        var pa = a, p0 = b0, p1 = b1
        if let offsets {
            for p in 0..<depth {
                let x0 = load(b0 + offsets[p]), x1 = load(b1 + offsets[p])
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, x0); c01.addProduct(x, x1)
                x = splat(pa[1]); c10.addProduct(x, x0); c11.addProduct(x, x1)
                x = splat(pa[2]); c20.addProduct(x, x0); c21.addProduct(x, x1)
                x = splat(pa[3]); c30.addProduct(x, x0); c31.addProduct(x, x1)
                pa += rows
            }
        } else {
            for _ in 0..<depth {
                let x0 = load(p0), x1 = load(p1)
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, x0); c01.addProduct(x, x1)
                x = splat(pa[1]); c10.addProduct(x, x0); c11.addProduct(x, x1)
                x = splat(pa[2]); c20.addProduct(x, x0); c21.addProduct(x, x1)
                x = splat(pa[3]); c30.addProduct(x, x0); c31.addProduct(x, x1)
                pa += rows
                p0 += columns
                p1 += columns
            }
        }
        store(c00, c); store(c01, c + 16)
        if height > 1 { store(c10, c + ldc); store(c11, c + ldc + 16) }
        if height > 2 { store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 16) }
        if height > 3 { store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 16) }
    }

    /// Six rows times one panel: `c[r, 0..<16] (+)= Σ_p a[p·6 + r] · b[p·16 + 0..<16]`, or row `p` of B read at
    /// `b + offsets[p]`.
    @inline(__always)
    static func single(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>?,
                       c: UnsafeMutablePointer<Float>, ldc: Int, start: Start) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        switch start {
        case .zero:
            break
        case .rowValues(let v):
            c0 = splat(v[0]); c1 = splat(v[1]); c2 = splat(v[2]); c3 = splat(v[3]); c4 = splat(v[4]); c5 = splat(v[5])
        case .accumulate:
            c0 = load(c); c1 = load(c + ldc); c2 = load(c + 2 * ldc)
            c3 = load(c + 3 * ldc); c4 = load(c + 4 * ldc); c5 = load(c + 5 * ldc)
        }
        var pa = a, pb = b
        for p in 0..<depth {
            let x0 = load(offsets.map { b + $0[p] } ?? pb)
            strata_prefetch(pa + prefetchDistance)
            c0.addProduct(splat(pa[0]), x0); c1.addProduct(splat(pa[1]), x0); c2.addProduct(splat(pa[2]), x0)
            c3.addProduct(splat(pa[3]), x0); c4.addProduct(splat(pa[4]), x0); c5.addProduct(splat(pa[5]), x0)
            pa += rows
            pb += columns
        }
        store(c0, c); store(c1, c + ldc); store(c2, c + 2 * ldc)
        store(c3, c + 3 * ldc); store(c4, c + 4 * ldc); store(c5, c + 5 * ldc)
    }

    /// A tile cut by the edge of C (`height` < 6 rows, or `width` short of the tile's 32 columns, or of 16 for a
    /// single panel when `b1` is nil): computed in `t` (6×32 floats), of which only the part inside C is read and
    /// written. `offsets` as in `pair`.
    @inline(__always)
    static func edge(depth: Int, a: UnsafePointer<Float>, b0: UnsafePointer<Float>, b1: UnsafePointer<Float>?,
                     offsets: UnsafePointer<Int>?, c: UnsafeMutablePointer<Float>, ldc: Int, height: Int, width: Int,
                     start: Start, tile t: UnsafeMutablePointer<Float>) {
        let pitch = b1 == nil ? columns : 2 * columns
        if case .accumulate = start {
            for r in 0..<height { for j in 0..<width { t[r * pitch + j] = c[r * ldc + j] } }
        }
        if let b1 {
            pair(depth: depth, a: a, b0: b0, b1: b1, offsets: offsets, c: t, ldc: pitch, start: start)
        } else {
            single(depth: depth, a: a, b: b0, offsets: offsets, c: t, ldc: pitch, start: start)
        }
        for r in 0..<height { for j in 0..<width { c[r * ldc + j] = t[r * pitch + j] } }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always) static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    @inline(__always) static func splat(_ v: Float) -> SIMD16<Float> { SIMD16<Float>(repeating: v) }
}

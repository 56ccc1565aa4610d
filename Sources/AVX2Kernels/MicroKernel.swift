import CPrefetch

/// The 6×16 register tile every product here is made of: six rows of packed A times a 16-column panel of packed
/// B, summed over `depth` in twelve 8-lane accumulators (with the two B vectors and the broadcast A value, 15 of
/// the 16 ymm registers).
enum MicroKernel {
    /// Rows of one tile (the A panel height).
    static let rows = 6
    /// Columns of one tile (the B panel width): two 8-lane vectors.
    static let columns = 16

    /// How far ahead of the multiply-adds, in floats of packed A, the tiles ask for A (3 KB, 128 depth steps): a
    /// conv's weights come from memory once a run, and the hardware's prefetchers left the tiles waiting on them.
    /// MobileNetV2 on these kernels (`STRATA_GEMM=avx2` on an AVX-512 CPU): 0.96 of the time without (medians of
    /// 16 alternated pairs). `PositionGemm.tile` asks for its weight panel twice as far ahead, in floats.
    static let prefetchDistance = 768

    /// How a tile's sums start: from zero, from one value per row (a bias), or from what `c` holds.
    enum Start {
        case zero
        case rowValues(UnsafePointer<Float>)
        case accumulate
    }

    /// `c[r, 0..<16] (+)= Σ_p a[p·6 + r] · b[p·16 + 0..<16]` for the six rows `r`, `c` with row stride `ldc`.
    /// With `offsets`, row `p` of B is read in place at `b + offsets[p]` instead of from a packed panel.
    @inline(__always)
    static func tile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>? = nil,
                     c: UnsafeMutablePointer<Float>, ldc: Int, start: Start) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        switch start {
        case .zero:
            break
        case .rowValues(let v):
            c00 = splat(v[0]); c01 = c00; c10 = splat(v[1]); c11 = c10; c20 = splat(v[2]); c21 = c20
            c30 = splat(v[3]); c31 = c30; c40 = splat(v[4]); c41 = c40; c50 = splat(v[5]); c51 = c50
        case .accumulate:
            c00 = load(c); c01 = load(c + 8); c10 = load(c + ldc); c11 = load(c + ldc + 8)
            c20 = load(c + 2 * ldc); c21 = load(c + 2 * ldc + 8); c30 = load(c + 3 * ldc); c31 = load(c + 3 * ldc + 8)
            c40 = load(c + 4 * ldc); c41 = load(c + 4 * ldc + 8); c50 = load(c + 5 * ldc); c51 = load(c + 5 * ldc + 8)
        }
        // Two copies of the depth loop, not one with a branch per step: each keeps its own registers.
        var pa = a, pb = b
        if let offsets {
            for p in 0..<depth {
                pb = b + offsets[p]
                let b0 = load(pb), b1 = load(pb + 8)
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
                x = splat(pa[1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
                x = splat(pa[2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
                x = splat(pa[3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
                x = splat(pa[4]); c40.addProduct(x, b0); c41.addProduct(x, b1)
                x = splat(pa[5]); c50.addProduct(x, b0); c51.addProduct(x, b1)
                pa += rows
            }
        } else {
            for _ in 0..<depth {
                let b0 = load(pb), b1 = load(pb + 8)
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
                x = splat(pa[1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
                x = splat(pa[2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
                x = splat(pa[3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
                x = splat(pa[4]); c40.addProduct(x, b0); c41.addProduct(x, b1)
                x = splat(pa[5]); c50.addProduct(x, b0); c51.addProduct(x, b1)
                pa += rows
                pb += columns
            }
        }
        store(c00, c); store(c01, c + 8); store(c10, c + ldc); store(c11, c + ldc + 8)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 8); store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 8)
        store(c40, c + 4 * ldc); store(c41, c + 4 * ldc + 8); store(c50, c + 5 * ldc); store(c51, c + 5 * ldc + 8)
    }

    /// The first `height` (at most 4) rows of a 6×16 tile, for a last row panel of 4 rows or fewer (16 output
    /// channels leave 4 in their third panel): eight accumulators, a third fewer multiply-adds than the full tile.
    /// `offsets` as in `tile`.
    @inline(__always)
    static func shortTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>? = nil,
                          c: UnsafeMutablePointer<Float>, ldc: Int, height: Int, start: Start) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        switch start {
        case .zero:
            break
        case .rowValues(let v):
            c00 = splat(v[0]); c01 = c00; c10 = splat(v[1]); c11 = c10; c20 = splat(v[2]); c21 = c20
            c30 = splat(v[3]); c31 = c30
        case .accumulate:
            c00 = load(c); c01 = load(c + 8)
            if height > 1 { c10 = load(c + ldc); c11 = load(c + ldc + 8) }
            if height > 2 { c20 = load(c + 2 * ldc); c21 = load(c + 2 * ldc + 8) }
            if height > 3 { c30 = load(c + 3 * ldc); c31 = load(c + 3 * ldc + 8) }
        }
        var pa = a, pb = b
        if let offsets {
            for p in 0..<depth {
                pb = b + offsets[p]
                let b0 = load(pb), b1 = load(pb + 8)
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
                x = splat(pa[1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
                x = splat(pa[2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
                x = splat(pa[3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
                pa += rows
            }
        } else {
            for _ in 0..<depth {
                let b0 = load(pb), b1 = load(pb + 8)
                strata_prefetch(pa + prefetchDistance)
                var x = splat(pa[0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
                x = splat(pa[1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
                x = splat(pa[2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
                x = splat(pa[3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
                pa += rows
                pb += columns
            }
        }
        store(c00, c); store(c01, c + 8)
        if height > 1 { store(c10, c + ldc); store(c11, c + ldc + 8) }
        if height > 2 { store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 8) }
        if height > 3 { store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 8) }
    }

    /// The 6×8 tile for a last column panel of at most 8 columns (a 7×7 plane's 49th column would otherwise take
    /// a whole 16-column tile): `b` holds panel rows of 8.
    @inline(__always)
    static func narrowTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                           ldc: Int, start: Start) {
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
        var c3 = SIMD8<Float>(), c4 = SIMD8<Float>(), c5 = SIMD8<Float>()
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
        for _ in 0..<depth {
            let b0 = load(pb)
            strata_prefetch(pa + prefetchDistance)
            c0.addProduct(splat(pa[0]), b0); c1.addProduct(splat(pa[1]), b0); c2.addProduct(splat(pa[2]), b0)
            c3.addProduct(splat(pa[3]), b0); c4.addProduct(splat(pa[4]), b0); c5.addProduct(splat(pa[5]), b0)
            pa += rows
            pb += 8
        }
        store(c0, c); store(c1, c + ldc); store(c2, c + 2 * ldc)
        store(c3, c + 3 * ldc); store(c4, c + 4 * ldc); store(c5, c + 5 * ldc)
    }

    /// A tile cut by the edge of C (`height` < 6 rows, or `width` less than the panel's 16 or 8 columns): computed
    /// in the full tile `tile` (96 floats), of which only the part inside C is read and written.
    @inline(__always)
    static func edgeTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         ldc: Int, height: Int, width: Int, narrow: Bool, start: Start, tile t: UnsafeMutablePointer<Float>) {
        let pitch = narrow ? 8 : columns
        if case .accumulate = start {
            for r in 0..<height { for j in 0..<width { t[r * pitch + j] = c[r * ldc + j] } }
        }
        if narrow {
            narrowTile(depth: depth, a: a, b: b, c: t, ldc: pitch, start: start)
        } else {
            tile(depth: depth, a: a, b: b, c: t, ldc: pitch, start: start)
        }
        for r in 0..<height { for j in 0..<width { c[r * ldc + j] = t[r * pitch + j] } }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    @inline(__always) static func splat(_ v: Float) -> SIMD8<Float> { SIMD8<Float>(repeating: v) }
}

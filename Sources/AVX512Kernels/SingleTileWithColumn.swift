import CPrefetch

extension WideTile {
    /// `single`, plus the column of C just right of the tile (`c[r, 16]`), for a product whose last 16-column panel
    /// is followed by one more column (a 1×1 conv on a 7×7 plane: 49 = 3·16 + 1). The single tile's six chains of
    /// multiply-adds leave the core waiting on their latency; the column's sums, the six rows as lanes of one more
    /// chain, run in that wait. `NarrowColumnsAVX512` took a tenth of such a conv's time for its 1/49 of the work.
    ///
    /// Row `p` of the column is `column[p·columnStride]`, or `column[columnOffsets[p]]`. Every sum is its start
    /// plus the products in depth order, one fused multiply-add each: the bits of the tiles and of
    /// `NarrowColumnsAVX512`.
    @inline(__always)
    static func singleWithColumn(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                 offsets: UnsafePointer<Int>?, column: UnsafePointer<Float>, columnStride: Int,
                                 columnOffsets: UnsafePointer<Int>?, c: UnsafeMutablePointer<Float>, ldc: Int,
                                 start: Start) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        var e = SIMD8<Float>()  // the column's six rows, lanes 6 and 7 unused
        switch start {
        case .zero:
            break
        case .rowValues(let v):
            c0 = splat(v[0]); c1 = splat(v[1]); c2 = splat(v[2]); c3 = splat(v[3]); c4 = splat(v[4]); c5 = splat(v[5])
            e = SIMD8(v[0], v[1], v[2], v[3], v[4], v[5], 0, 0)
        case .accumulate:
            c0 = load(c); c1 = load(c + ldc); c2 = load(c + 2 * ldc)
            c3 = load(c + 3 * ldc); c4 = load(c + 4 * ldc); c5 = load(c + 5 * ldc)
            for r in 0..<rows { e[r] = c[r * ldc + columns] }
        }
        var pa = a, pb = b, pc = column
        @inline(__always) func step(_ x0: SIMD16<Float>, _ y: Float, _ weights: SIMD8<Float>) {
            strata_prefetch(pa + prefetchDistance)
            e.addProduct(weights, SIMD8(repeating: y))
            c0.addProduct(splat(pa[0]), x0); c1.addProduct(splat(pa[1]), x0); c2.addProduct(splat(pa[2]), x0)
            c3.addProduct(splat(pa[3]), x0); c4.addProduct(splat(pa[4]), x0); c5.addProduct(splat(pa[5]), x0)
            pa += rows
        }
        // A's six weights a step as `NarrowColumnsAVX512` reads them (eight floats but at the last step). Two copies
        // of the loop, as in `pair`.
        @inline(__always) func weights(last: Bool) -> SIMD8<Float> {
            NarrowColumnsAVX512.weights(pa, second: nil, last: last).lowHalf
        }
        if offsets == nil && columnOffsets == nil {
            for _ in 0..<(depth - 1) {
                step(load(pb), pc.pointee, weights(last: false))
                pb += columns
                pc += columnStride
            }
        } else {
            for p in 0..<(depth - 1) {
                step(load(offsets.map { b + $0[p] } ?? b + p &* columns),
                     columnOffsets.map { column[$0[p]] } ?? column[p &* columnStride], weights(last: false))
            }
        }
        if depth > 0 {
            let p = depth - 1
            step(load(offsets.map { b + $0[p] } ?? b + p &* columns),
                 columnOffsets.map { column[$0[p]] } ?? column[p &* columnStride], weights(last: true))
        }
        store(c0, c); store(c1, c + ldc); store(c2, c + 2 * ldc)
        store(c3, c + 3 * ldc); store(c4, c + 4 * ldc); store(c5, c + 5 * ldc)
        for r in 0..<rows { c[r * ldc + columns] = e[r] }
    }
}

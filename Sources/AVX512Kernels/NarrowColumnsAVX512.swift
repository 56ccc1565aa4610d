import AVX2Kernels

/// The last few columns of a packed product whose other columns go through 16-column tiles (a 1×1 conv on a 7×7
/// plane: 49 = 3·16 + 1 positions). The tiles would spend a whole 16-column panel on them; here a column is computed
/// for two 6-row panels of packed A at a time, their rows as the lanes (6 of each 8), with the column's input
/// broadcast: a column costs about an eleventh of a panel. `PackedGemmAVX512.multiply` calls it block by block,
/// right after the tiles that read the same part of packed A.
///
/// Every sum is its start plus the products in depth order, one fused multiply-add each, as in the tiles: the
/// same bits as the columns would have there.
public enum NarrowColumnsAVX512 {
    typealias Vector = SIMD16<Float>

    /// One depth block of columns `columns` for row panels `panels`: `rowStart[r]` if given, else `c[r·ldc + j]`
    /// (the sum so far) where `accumulate`, else zero, plus `Σ_p a[r, p] · B[p, j]` over the block's `depth` steps, where
    /// `aBlock` is the block's part of A packed by `PackedGemm.pack` (`mPadded` rows) and row `p` of the block's B is
    /// at `b + p·ldb`, or at `b + offsets[p]`.
    static func accumulate(m: Int, mPadded: Int, depth: Int, aBlock: UnsafePointer<Float>, panels: Range<Int>,
                           b: UnsafePointer<Float>, ldb: Int, offsets: UnsafePointer<Int>?, columns: Range<Int>,
                           rowStart: UnsafePointer<Float>?, accumulate: Bool, c: UnsafeMutablePointer<Float>,
                           ldc: Int) {
        let height = PackedGemm.panelRows
        let step = height * depth
        for j in columns {
            var panel = panels.lowerBound
            while panel < panels.upperBound {
                // Up to eight panels: four vectors of two panels each, four independent chains.
                let count = min(8, panels.upperBound - panel)
                @inline(__always) func start(_ q: Int) -> Vector {
                    var v = Vector()
                    for lane in 0..<16 where lane % 8 < height && q + lane / 8 < count {
                        let row = (panel + q + lane / 8) * height + lane % 8
                        guard row < m else { continue }
                        if let rowStart { v[lane] = rowStart[row] } else if accumulate { v[lane] = c[row * ldc + j] }
                    }
                    return v
                }
                var sums = (start(0), start(2), start(4), start(6))
                let a = aBlock + panel * step
                @inline(__always) func input(_ p: Int) -> Vector {
                    Vector(repeating: offsets.map { b[$0[p] + j] } ?? b[p * ldb + j])
                }
                @inline(__always) func pair(_ q: Int, _ p: Int, last: Bool) -> Vector {
                    weights(a + q * step + p * height, second: q + 1 < count ? a + (q + 1) * step + p * height : nil,
                            last: last)
                }
                @inline(__always) func fullPair(_ q: Int, _ p: Int) -> Vector {
                    weights(a + q * step + p * height, second: a + (q + 1) * step + p * height, last: false)
                }
                if count == 8 {
                    for p in 0..<(depth - 1) {
                        let x = input(p)
                        sums.0.addProduct(fullPair(0, p), x)
                        sums.1.addProduct(fullPair(2, p), x)
                        sums.2.addProduct(fullPair(4, p), x)
                        sums.3.addProduct(fullPair(6, p), x)
                    }
                } else {
                    for p in 0..<(depth - 1) {
                        let x = input(p)
                        sums.0.addProduct(pair(0, p, last: false), x)
                        if count > 2 { sums.1.addProduct(pair(2, p, last: false), x) }
                        if count > 4 { sums.2.addProduct(pair(4, p, last: false), x) }
                        if count > 6 { sums.3.addProduct(pair(6, p, last: false), x) }
                    }
                }
                let x = input(depth - 1)
                sums.0.addProduct(pair(0, depth - 1, last: true), x)
                if count > 2 { sums.1.addProduct(pair(2, depth - 1, last: true), x) }
                if count > 4 { sums.2.addProduct(pair(4, depth - 1, last: true), x) }
                if count > 6 { sums.3.addProduct(pair(6, depth - 1, last: true), x) }
                @inline(__always) func write(_ v: Vector, _ q: Int) {
                    for lane in 0..<16 where lane % 8 < height {
                        let row = (panel + q + lane / 8) * height + lane % 8
                        if q + lane / 8 < count && row < m { c[row * ldc + j] = v[lane] }
                    }
                }
                write(sums.0, 0)
                write(sums.1, 2)
                write(sums.2, 4)
                write(sums.3, 6)
                panel += count
            }
        }
    }

    /// The six weights of one depth step of a panel in lanes 0–5 and those of the next panel (if any) in lanes 8–13.
    /// Eight floats are loaded where the step is not the block's last (lanes 6, 7 and 14, 15 then hold the next
    /// step's first weights, whose products are dropped); the last step is read six floats a panel, so no read
    /// goes past the packed panels.
    @inline(__always)
    static func weights(_ first: UnsafePointer<Float>, second: UnsafePointer<Float>?, last: Bool) -> Vector {
        if !last {
            let low = UnsafeRawPointer(first).loadUnaligned(as: SIMD8<Float>.self)
            guard let second else { return Vector(lowHalf: low, highHalf: SIMD8()) }
            return Vector(lowHalf: low, highHalf: UnsafeRawPointer(second).loadUnaligned(as: SIMD8<Float>.self))
        }
        var v = Vector()
        for lane in 0..<6 { v[lane] = first[lane] }
        if let second { for lane in 0..<6 { v[8 + lane] = second[lane] } }
        return v
    }
}

import AVX2Kernels

/// The last few columns of a packed product whose other columns go through 16-column tiles (a 1×1 conv on a 14×14
/// plane: 196 = 12·16 + 4 positions; a 7×7 plane's one goes with its single tile, `WideTile.singleWithColumn`, in
/// full row panels). The tiles would spend a whole 16-column panel on them; here a column is computed
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
        var rest = panels
        if columns.count == 4 {
            // A 14×14 plane's four columns: groups of eight full panels take them together (`fourColumns`).
            let full = panels.lowerBound..<max(panels.lowerBound, min(panels.upperBound, m / height))
            let grouped = full.lowerBound..<(full.lowerBound + full.count / 8 * 8)
            for panel in stride(from: grouped.lowerBound, to: grouped.upperBound, by: 8) {
                fourColumns(depth: depth, a: aBlock + panel * step, step: step, panel: panel, b: b,
                            ldb: ldb, offsets: offsets, column: columns.lowerBound, rowStart: rowStart,
                            accumulate: accumulate, c: c, ldc: ldc)
            }
            rest = grouped.upperBound..<panels.upperBound
        }
        for j in columns {
            var panel = rest.lowerBound
            while panel < rest.upperBound {
                // Up to eight panels: four vectors of two panels each, four independent chains.
                let count = min(8, rest.upperBound - panel)
                @inline(__always) func start(_ q: Int) -> Vector {
                    startLanes(panel: panel + q, panels: count - q, m: m, column: j, rowStart: rowStart,
                               accumulate: accumulate, c: c, ldc: ldc)
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
                    writeLanes(v, panel: panel + q, panels: count - q, m: m, column: j, c: c, ldc: ldc)
                }
                write(sums.0, 0)
                write(sums.1, 2)
                write(sums.2, 4)
                write(sums.3, 6)
                panel += count
            }
        }
    }

    /// Four columns `column..<column + 4` for eight full row panels from `panel` (all their rows inside the
    /// product) whose block of A starts at `a`: each step's weights loaded once for the four columns, sixteen
    /// independent chains. The sums and their order are those of `accumulate`'s column-by-column loops.
    @inline(__always)
    static func fourColumns(depth: Int, a: UnsafePointer<Float>, step: Int, panel: Int, b: UnsafePointer<Float>,
                            ldb: Int, offsets: UnsafePointer<Int>?, column j: Int, rowStart: UnsafePointer<Float>?,
                            accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let height = PackedGemm.panelRows
        @inline(__always) func start(_ q: Int, _ j: Int) -> Vector {
            startLanes(panel: panel + q, panels: 2, m: .max, column: j, rowStart: rowStart, accumulate: accumulate,
                       c: c, ldc: ldc)
        }
        var s0 = (start(0, j), start(2, j), start(4, j), start(6, j))
        var s1 = (start(0, j + 1), start(2, j + 1), start(4, j + 1), start(6, j + 1))
        var s2 = (start(0, j + 2), start(2, j + 2), start(4, j + 2), start(6, j + 2))
        var s3 = (start(0, j + 3), start(2, j + 3), start(4, j + 3), start(6, j + 3))
        @inline(__always) func sum(_ p: Int, last: Bool) {
            let row = offsets.map { b + $0[p] } ?? b + p * ldb
            let x0 = Vector(repeating: row[j]), x1 = Vector(repeating: row[j + 1])
            let x2 = Vector(repeating: row[j + 2]), x3 = Vector(repeating: row[j + 3])
            let w0 = weights(a + p * height, second: a + step + p * height, last: last)
            let w1 = weights(a + 2 * step + p * height, second: a + 3 * step + p * height, last: last)
            let w2 = weights(a + 4 * step + p * height, second: a + 5 * step + p * height, last: last)
            let w3 = weights(a + 6 * step + p * height, second: a + 7 * step + p * height, last: last)
            s0.0.addProduct(w0, x0); s0.1.addProduct(w1, x0); s0.2.addProduct(w2, x0); s0.3.addProduct(w3, x0)
            s1.0.addProduct(w0, x1); s1.1.addProduct(w1, x1); s1.2.addProduct(w2, x1); s1.3.addProduct(w3, x1)
            s2.0.addProduct(w0, x2); s2.1.addProduct(w1, x2); s2.2.addProduct(w2, x2); s2.3.addProduct(w3, x2)
            s3.0.addProduct(w0, x3); s3.1.addProduct(w1, x3); s3.2.addProduct(w2, x3); s3.3.addProduct(w3, x3)
        }
        for p in 0..<(depth - 1) { sum(p, last: false) }
        sum(depth - 1, last: true)
        @inline(__always) func write(_ v: Vector, _ q: Int, _ j: Int) {
            writeLanes(v, panel: panel + q, panels: 2, m: .max, column: j, c: c, ldc: ldc)
        }
        write(s0.0, 0, j); write(s0.1, 2, j); write(s0.2, 4, j); write(s0.3, 6, j)
        write(s1.0, 0, j + 1); write(s1.1, 2, j + 1); write(s1.2, 4, j + 1); write(s1.3, 6, j + 1)
        write(s2.0, 0, j + 2); write(s2.1, 2, j + 2); write(s2.2, 4, j + 2); write(s2.3, 6, j + 2)
        write(s3.0, 0, j + 3); write(s3.1, 2, j + 3); write(s3.2, 4, j + 3); write(s3.3, 6, j + 3)
    }

    /// The start of one column's sums for two panels from row panel `panel`, their rows as lanes 0–5 and 8–13:
    /// `rowStart[row]` if given, else `c[row·ldc + column]` where `accumulate`, else zero; zero in the lanes of a
    /// second panel past `panels` and of rows from `m`.
    @inline(__always)
    static func startLanes(panel: Int, panels: Int, m: Int, column: Int, rowStart: UnsafePointer<Float>?,
                           accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) -> Vector {
        let height = PackedGemm.panelRows
        var v = Vector()
        for lane in 0..<16 where lane % 8 < height && lane / 8 < panels {
            let row = (panel + lane / 8) * height + lane % 8
            guard row < m else { continue }
            if let rowStart { v[lane] = rowStart[row] } else if accumulate { v[lane] = c[row * ldc + column] }
        }
        return v
    }

    /// Stores the sums `startLanes` started into column `column`, in the same lanes.
    @inline(__always)
    static func writeLanes(_ v: Vector, panel: Int, panels: Int, m: Int, column: Int, c: UnsafeMutablePointer<Float>,
                           ldc: Int) {
        let height = PackedGemm.panelRows
        for lane in 0..<16 where lane % 8 < height && lane / 8 < panels {
            let row = (panel + lane / 8) * height + lane % 8
            if row < m { c[row * ldc + column] = v[lane] }
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

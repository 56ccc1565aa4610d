import AVX2Kernels

/// AVX2Kernels' `PackedGemm.multiply` on AVX-512: the same packed A (6-row panels), the same depth blocks and the
/// same sums to the bit, with B's 16-column panels taken two at a time into 6×32 tiles of 16-lane vectors.
///
/// This module is compiled for Skylake-AVX512's instruction set (AVX-512 F, CD, BW, DQ, VL and Haswell's): call it
/// only where `CPUFeatures.hasAVX512Instructions` holds. Like AVX2Kernels, it uses nothing but raw pointers and
/// SIMD values, so none of its code is shared with the modules compiled for the baseline x86-64.
public enum PackedGemmAVX512 {
    /// Floats of scratch `multiply` needs at depth `k`: two packed B panels (and the 8 floats the last row of a
    /// panel gathered by `columnRuns` may spill) and one edge tile.
    public static func scratchCount(k: Int) -> Int {
        2 * (panelFloats(k: k) + 8) + WideTile.rows * 2 * WideTile.columns
    }

    /// Floats of one packed B panel at the deepest depth block of `k`.
    static func panelFloats(k: Int) -> Int {
        let blocks = PackedGemm.depthBlockCount(k)
        return blocks == 0 ? 0 : (k + blocks - 1) / blocks * WideTile.columns
    }

    /// `PackedGemm.multiply`, with the same arguments and results; `scratch` holds `scratchCount(k:)` floats. The
    /// last `narrow` of the `n` columns (without `columnRuns`) are computed by `NarrowColumnsAVX512`, or one column
    /// after a last single panel by that panel's tiles (`WideTile.singleWithColumn`), to the same bits, instead of
    /// a tile.
    public static func multiply(m: Int, n: Int, k: Int, packedA: UnsafePointer<Float>, panels rowPanels: Range<Int>,
                                b: UnsafePointer<Float>, ldb: Int, rowOffsets: UnsafePointer<Int>? = nil,
                                columnRuns: UnsafePointer<Int>? = nil, c: UnsafeMutablePointer<Float>, ldc: Int,
                                rowStart: UnsafePointer<Float>?, accumulate: Bool,
                                scratch: UnsafeMutablePointer<Float>, narrow: Int = 0) {
        guard n > 0, !rowPanels.isEmpty else { return }
        precondition(narrow == 0 || columnRuns == nil, "narrow columns read B by rows")
        let height = WideTile.rows, width = WideTile.columns
        let tiled = n - narrow
        let columnPanels = (tiled + width - 1) / width
        let mPadded = PackedGemm.panels(m: m) * height
        let second = scratch + panelFloats(k: k) + 8
        let edge = second + panelFloats(k: k) + 8
        // B is read in place under AVX2Kernels' rule (its edge tile, which a last row panel of 5 rows takes, reads
        // packed panels only).
        let lastRows = m - (PackedGemm.panels(m: m) - 1) * height
        let readsInPlace = columnRuns == nil && rowPanels.count <= PackedGemm.inPlacePanels && lastRows != 5
        let inPlace = readsInPlace ? rowOffsets : nil
        // One narrow column after a last single panel rides with that panel's tiles (`singleWithColumn`), in the
        // full row panels; `NarrowColumnsAVX512` takes the rest.
        let columnRides = narrow == 1 && tiled % (2 * width) == width
        let fullPanels = m / height
        for index in 0..<PackedGemm.depthBlockCount(k) {
            let block = PackedGemm.depthBlock(index, of: k)
            let depth = block.count
            let first = block.lowerBound == 0
            let aBlock = packedA + block.lowerBound * mPadded
            // The narrow columns' rows of this block's B.
            let narrowB = rowOffsets == nil ? b + block.lowerBound * ldb : b
            let narrowOffsets = rowOffsets.map { $0 + block.lowerBound }
            var lower = rowPanels.lowerBound
            while lower < rowPanels.upperBound {
                let upper = min(rowPanels.upperBound, lower + PackedGemm.panelsPerBlock)
                var jp = 0
                while jp < columnPanels {
                    let j = jp * width, columns = min(2 * width, tiled - j)
                    let isPair = columns > width
                    let offsets = columns % width == 0 ? inPlace.map { $0 + block.lowerBound } : nil
                    if offsets == nil {
                        let firstCount = min(width, columns)
                        if let runs = columnRuns {
                            gatherPanel(jp, rows: block, runs: runs, columnPanels: columnPanels, count: firstCount,
                                        b: b, ldb: ldb, rowOffsets: rowOffsets, into: scratch)
                            if isPair {
                                gatherPanel(jp + 1, rows: block, runs: runs, columnPanels: columnPanels,
                                            count: columns - width, b: b, ldb: ldb, rowOffsets: rowOffsets,
                                            into: second)
                            }
                        } else {
                            packPanel(rows: block, columns: j, count: firstCount, b: b, ldb: ldb,
                                      rowOffsets: rowOffsets, into: scratch)
                            if isPair {
                                packPanel(rows: block, columns: j + width, count: columns - width, b: b, ldb: ldb,
                                          rowOffsets: rowOffsets, into: second)
                            }
                        }
                    }
                    // The tiles read the panels packed in `scratch`, or B's rows themselves from column `j`.
                    let b0 = offsets == nil ? UnsafePointer(scratch) : b + j
                    let b1 = offsets == nil ? UnsafePointer(second) : b + j + width
                    for panel in lower..<upper {
                        let i = panel * height, rows = min(height, m - i)
                        let start: WideTile.Start
                        if first, let rowStart {
                            start = .rowValues(rowStart + i)
                        } else {
                            start = first && !accumulate ? .zero : .accumulate
                        }
                        let aPanel = aBlock + panel * height * depth
                        let out = c + i * ldc + j
                        if columns == 2 * width && rows == height {
                            WideTile.pair(depth: depth, a: aPanel, b0: b0, b1: b1, offsets: offsets, c: out, ldc: ldc,
                                          start: start)
                        } else if columns == 2 * width && rows <= 4 {
                            WideTile.shortPair(depth: depth, a: aPanel, b0: b0, b1: b1, offsets: offsets, c: out,
                                               ldc: ldc, height: rows, start: start)
                        } else if columns == width && rows == height && columnRides {
                            WideTile.singleWithColumn(depth: depth, a: aPanel, b: b0, offsets: offsets,
                                                      column: narrowB + tiled, columnStride: ldb,
                                                      columnOffsets: narrowOffsets, c: out, ldc: ldc, start: start)
                        } else if columns == width && rows == height {
                            WideTile.single(depth: depth, a: aPanel, b: b0, offsets: offsets, c: out, ldc: ldc,
                                            start: start)
                        } else {
                            WideTile.edge(depth: depth, a: aPanel, b0: b0, b1: isPair ? b1 : nil, offsets: offsets,
                                          c: out, ldc: ldc, height: rows, width: columns, start: start, tile: edge)
                        }
                    }
                    jp += isPair ? 2 : 1
                }
                let left = columnRides ? max(lower, min(upper, fullPanels))..<upper : lower..<upper
                if narrow > 0 && !left.isEmpty {
                    NarrowColumnsAVX512.accumulate(
                        m: m, mPadded: mPadded, depth: depth, aBlock: aBlock, panels: left,
                        b: narrowB, ldb: ldb, offsets: narrowOffsets, columns: tiled..<n,
                        rowStart: first ? rowStart : nil, accumulate: !first || accumulate, c: c, ldc: ldc)
                }
                lower = upper
            }
        }
    }

    /// Packs the columns that panel `panel`'s runs place (`count` of them; see `PackedGemm.multiply` for the layout
    /// of `runs`) of rows `rows` of B as one `rows.count × 16` panel, zero past `count`.
    @inline(__always)
    static func gatherPanel(_ panel: Int, rows: Range<Int>, runs first: UnsafePointer<Int>, columnPanels: Int,
                            count: Int, b: UnsafePointer<Float>, ldb: Int, rowOffsets: UnsafePointer<Int>?,
                            into out: UnsafeMutablePointer<Float>) {
        let source = first + columnPanels + 1, target = source + first[columnPanels]
        let lane = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let past = lane .>= SIMD16<Int32>(repeating: Int32(count))
        var to = out
        for row in rows {
            let from = rowOffsets.map { b + $0[row] } ?? b + row &* ldb
            for r in first[panel]..<first[panel + 1] {
                storeEight(loadEight(from + source[r]), to + target[r])
            }
            if count < WideTile.columns {
                WideTile.store(WideTile.load(to).replacing(with: 0, where: past), to)
            }
            to += WideTile.columns
        }
    }

    /// Packs columns `j..<j+count` (`count` ≤ 16) of rows `rows` of B as one `rows.count × 16` panel, zero past
    /// `count`.
    @inline(__always)
    static func packPanel(rows: Range<Int>, columns j: Int, count: Int, b: UnsafePointer<Float>, ldb: Int,
                         rowOffsets: UnsafePointer<Int>?, into out: UnsafeMutablePointer<Float>) {
        var to = out
        for row in rows {
            let source = (rowOffsets.map { b + $0[row] } ?? b + row &* ldb) + j
            if count == WideTile.columns {
                WideTile.store(WideTile.load(source), to)
            } else {
                for q in 0..<WideTile.columns { to[q] = q < count ? source[q] : 0 }
            }
            to += WideTile.columns
        }
    }

    @inline(__always) static func loadEight(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func storeEight(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}

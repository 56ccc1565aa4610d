/// Single-precision matrix products `C = A·B` for convolutions and dense layers, with A (the weights) packed once
/// and B packed in cache-sized blocks at every call, on AVX2 and FMA.
///
/// This module is compiled for Haswell-class CPUs (AVX2, FMA, BMI2): call it only where
/// `CPUFeatures.hasAVX2FMA` holds. It uses nothing but raw pointers and SIMD values, so none of its code is shared
/// with (or deduplicated against) the modules compiled for the baseline x86-64.
public enum PackedGemm {
    /// Depth (k) of one block: one 16-column panel of packed B (16 KB) stays in the L1 cache while every row panel
    /// of A passes over it.
    public static let depthBlock = 256
    /// Row panels of A multiplied against one B panel before moving to the next: about 150 KB of A, kept in L2.
    /// Every block packs B again: at 16 panels a core of ResNet-50's 256-channel 3×3 convs packed it twice (its
    /// 21 or 22 panels); 24 took those convs from 159 to 169 GFLOP/s, and 32 and 48 were slower.
    public static let panelsPerBlock = 24

    /// Row panels at most that share a B panel read in place: packing B's rows (two loads and two stores a row)
    /// costs more than it saves when it serves so few tiles, as for convs with 16 output channels.
    public static let inPlacePanels = 6

    /// Rows of A per packed panel; a caller splitting the rows over threads splits whole panels.
    public static let panelRows = MicroKernel.rows

    /// Row panels of an `m`-row A.
    public static func panels(m: Int) -> Int { (m + panelRows - 1) / panelRows }

    /// Floats of an `m`×`k` A once packed (rows padded to whole panels).
    public static func packedCount(m: Int, k: Int) -> Int { panels(m: m) * panelRows * k }

    /// Floats of scratch `multiply` needs at depth `k`: one packed B panel (and the 8 floats the last row of a
    /// panel gathered by `columnRuns` may spill) and one edge tile.
    public static func scratchCount(k: Int) -> Int {
        let deepest = k == 0 ? 0 : (k + depthBlockCount(k) - 1) / depthBlockCount(k)
        return deepest * MicroKernel.columns + 8 + MicroKernel.rows * MicroKernel.columns
    }

    /// Packs the `m`×`k` row-major `a` (row stride `lda`) into `packed` (`packedCount(m:k:)` floats): depth block
    /// by depth block, row panel by row panel, each panel `depth × 6` with rows past `m` zero.
    public static func pack(m: Int, k: Int, a: UnsafePointer<Float>, lda: Int, into packed: UnsafeMutablePointer<Float>) {
        let height = panelRows
        var out = packed
        for index in 0..<depthBlockCount(k) {
            let block = depthBlock(index, of: k)
            for panel in 0..<panels(m: m) {
                for p in block {
                    for r in 0..<height {
                        let row = panel * height + r
                        out[r] = row < m ? a[row * lda + p] : 0
                    }
                    out += height
                }
            }
        }
    }

    /// `C = A·B` over the row panels `panels` of the packed A (`m`×`k`) and the `n` columns of B, C with row stride
    /// `ldc`. Row `p` of B starts at `b + rowOffsets[p]` when `rowOffsets` is given (the shifted copies of an
    /// image that a convolution's taps read), else at `b + p·ldb`. The sums start from `rowStart[i]` for row `i`
    /// when given (a bias; at least `panels(m:)·6` values), else from C's values when `accumulate`, else from
    /// zero. `scratch` holds `scratchCount(k:)` floats.
    ///
    /// B's columns are contiguous from a row's start, or where `columnRuns` puts them (a small conv plane whose
    /// product skips the padding columns of its flat rows): runs of at most 8 columns, each read with one 8-wide
    /// load (B must be readable 7 floats past its last run) and written with one 8-wide store whose spill the next
    /// run or panel row overwrites. For the `P = ⌈n/16⌉` panels, `columnRuns` holds `P + 1` run starts (panel
    /// `jp`'s runs are `first[jp]..<first[jp + 1]`, in increasing column order), then where each run starts in a
    /// row of B, then its column in the panel. It is a flat array, not a struct: a struct's compiler-made copy
    /// helper could be merged with the baseline modules' (`Tools/check_avx2_isolation.sh`).
    ///
    /// Loops: depth blocks, then blocks of about 150 KB of A (kept in L2), then 16-column panels of B, each packed
    /// into `scratch` (kept in L1) and multiplied by every row panel of the block. A whole 16-column panel of rows
    /// at `rowOffsets` that at most `inPlacePanels` row panels (none of 5 rows) multiply is read in place.
    public static func multiply(m: Int, n: Int, k: Int, packedA: UnsafePointer<Float>, panels rowPanels: Range<Int>,
                                b: UnsafePointer<Float>, ldb: Int, rowOffsets: UnsafePointer<Int>? = nil,
                                columnRuns: UnsafePointer<Int>? = nil, c: UnsafeMutablePointer<Float>, ldc: Int,
                                rowStart: UnsafePointer<Float>?, accumulate: Bool,
                                scratch: UnsafeMutablePointer<Float>) {
        guard n > 0, !rowPanels.isEmpty else { return }
        let height = panelRows, width = MicroKernel.columns
        let columnPanels = (n + width - 1) / width
        let mPadded = panels(m: m) * height
        let edge = scratch + scratchCount(k: k) - height * width
        // Every tile of an in-place panel must be a full or a short tile: the edge tile reads a packed panel.
        let lastRows = m - (panels(m: m) - 1) * height
        let inPlace = columnRuns == nil && rowPanels.count <= inPlacePanels && lastRows != 5 ? rowOffsets : nil
        for index in 0..<depthBlockCount(k) {
            let block = depthBlock(index, of: k)
            let depth = block.count
            let first = block.lowerBound == 0
            let aBlock = packedA + block.lowerBound * mPadded
            var lower = rowPanels.lowerBound
            while lower < rowPanels.upperBound {
                let upper = min(rowPanels.upperBound, lower + panelsPerBlock)
                for jp in 0..<columnPanels {
                    let j = jp * width, columns = min(width, n - j)
                    let narrow = columns <= 8
                    let offsets = columns == width ? inPlace.map { $0 + block.lowerBound } : nil
                    if offsets != nil {
                        // Read in place by the tiles below.
                    } else if let first = columnRuns {
                        let source = first + columnPanels + 1
                        gatherPanel(rows: block, runs: first[jp]..<first[jp + 1], source: source,
                                    target: source + first[columnPanels], count: columns, width: narrow ? 8 : width,
                                    b: b, ldb: ldb, rowOffsets: rowOffsets, into: scratch)
                    } else {
                        packPanel(rows: block, columns: j, count: columns, width: narrow ? 8 : width, b: b, ldb: ldb,
                                  rowOffsets: rowOffsets, into: scratch)
                    }
                    // The tiles read the panel packed in `scratch`, or B's rows themselves from column `j`.
                    let bPanel = offsets == nil ? UnsafePointer(scratch) : b + j
                    for panel in lower..<upper {
                        let i = panel * height, rows = min(height, m - i)
                        let start: MicroKernel.Start
                        if first, let rowStart {
                            start = .rowValues(rowStart + i)
                        } else {
                            start = first && !accumulate ? .zero : .accumulate
                        }
                        let aPanel = aBlock + panel * height * depth
                        if rows == height && columns == width {
                            MicroKernel.tile(depth: depth, a: aPanel, b: bPanel, offsets: offsets, c: c + i * ldc + j,
                                             ldc: ldc, start: start)
                        } else if rows <= 4 && columns == width {
                            MicroKernel.shortTile(depth: depth, a: aPanel, b: bPanel, offsets: offsets, c: c + i * ldc + j,
                                                  ldc: ldc, height: rows, start: start)
                        } else if rows == height && columns == 8 {
                            MicroKernel.narrowTile(depth: depth, a: aPanel, b: bPanel, c: c + i * ldc + j, ldc: ldc,
                                                   start: start)
                        } else {
                            MicroKernel.edgeTile(depth: depth, a: aPanel, b: bPanel, c: c + i * ldc + j, ldc: ldc,
                                                 height: rows, width: columns, narrow: narrow, start: start, tile: edge)
                        }
                    }
                }
                lower = upper
            }
        }
    }

    /// Depth blocks of `k`: at most `depthBlock` deep, of near-equal size.
    public static func depthBlockCount(_ k: Int) -> Int { (k + depthBlock - 1) / depthBlock }

    /// The `index`th depth block of `k`.
    public static func depthBlock(_ index: Int, of k: Int) -> Range<Int> {
        let count = depthBlockCount(k)
        return (k * index / count)..<(k * (index + 1) / count)
    }

    /// Packs the columns that runs `runs` place (`count` of them, `count` ≤ `width`; run `r` starts at `source[r]`
    /// in a row of B and at column `target[r]` of the panel) of rows `rows` of B as one `rows.count × width` panel,
    /// zero past `count`.
    @inline(__always)
    static func gatherPanel(rows: Range<Int>, runs: Range<Int>, source runSource: UnsafePointer<Int>,
                            target runTarget: UnsafePointer<Int>, count: Int, width: Int, b: UnsafePointer<Float>,
                            ldb: Int, rowOffsets: UnsafePointer<Int>?, into out: UnsafeMutablePointer<Float>) {
        // A narrow panel holds at most 8 columns and a wide one at least 9: the zeros are in the last 8 lanes.
        let lane = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &+ Int32(width - 8)
        let past = lane .>= SIMD8<Int32>(repeating: Int32(count))
        var to = out
        for row in rows {
            let source = rowOffsets.map { b + $0[row] } ?? b + row &* ldb
            for r in runs {
                MicroKernel.store(MicroKernel.load(source + runSource[r]), to + runTarget[r])
            }
            if count < width {
                let tail = to + (width - 8)
                MicroKernel.store(MicroKernel.load(tail).replacing(with: 0, where: past), tail)
            }
            to += width
        }
    }

    /// Packs columns `j..<j+count` (`count` ≤ `width`, 16 or 8) of rows `rows` of B as one `rows.count × width`
    /// panel, zero past `count`.
    @inline(__always)
    static func packPanel(rows: Range<Int>, columns j: Int, count: Int, width: Int, b: UnsafePointer<Float>, ldb: Int,
                          rowOffsets: UnsafePointer<Int>?, into out: UnsafeMutablePointer<Float>) {
        var to = out
        for row in rows {
            let source = (rowOffsets.map { b + $0[row] } ?? b + row &* ldb) + j
            if count == 16 {
                MicroKernel.store(MicroKernel.load(source), to)
                MicroKernel.store(MicroKernel.load(source + 8), to + 8)
            } else if count == 8 && width == 8 {
                MicroKernel.store(MicroKernel.load(source), to)
            } else {
                for q in 0..<width { to[q] = q < count ? source[q] : 0 }
            }
            to += width
        }
    }
}

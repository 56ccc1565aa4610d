import CPrefetch

/// The product of a convolution on a small plane with the output positions as the rows of the tile and the
/// output channels as its columns: `C[q, ch] += Σ_p patch[q, p] · W[ch, p]`, C laid out position by position.
///
/// `PackedGemm` puts the channels on the tile's 6 rows and the positions on its 16 columns. On a 7×7 plane the
/// flat rows (`ConvShifted.swift`) hold 61 columns, multiplied as 64 for 49 outputs. Here the 49 positions take
/// 9 panels of 6 (54 rows) and the channels whole panels of 16, the weights packed once as those panels, so every
/// tile is a full tile. The tiles broadcast each position's inputs from the conv's (padded) input where they lie, so
/// a strided window costs no more than a dense one.
public enum PositionGemm {
    /// Floats of the weights of an `m`-channel conv of depth `k` packed by `pack`.
    public static func packedCount(m: Int, k: Int) -> Int { channelPanels(m: m) * MicroKernel.columns * k }

    /// Panels of 16 output channels.
    public static func channelPanels(m: Int) -> Int { (m + MicroKernel.columns - 1) / MicroKernel.columns }

    /// Packs the `m`×`k` row-major weights `w` (row stride `k`) as the B panels of `multiply`: depth block by depth
    /// block (`PackedGemm.depthBlock`), then panel by panel of 16 channels, each `depth × 16` with channels past
    /// `m` zero.
    public static func pack(m: Int, k: Int, w: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>) {
        var out = packed
        for index in 0..<PackedGemm.depthBlockCount(k) {
            for panel in 0..<channelPanels(m: m) {
                for p in PackedGemm.depthBlock(index, of: k) {
                    for j in 0..<MicroKernel.columns {
                        let ch = panel * MicroKernel.columns + j
                        out[j] = ch < m ? w[ch * k + p] : 0
                    }
                    out += MicroKernel.columns
                }
            }
        }
    }

    /// Floats of scratch `multiply` needs at depth `k` to gather: one panel of positions (and the 2 floats the
    /// 8-wide store of its last row spills).
    public static func scratchCount(k: Int) -> Int { MicroKernel.rows * k + 2 }

    /// Adds the products of the positions in panels `positionPanels` (6 positions each) and the channels in
    /// panels `channels` (16 each) to `c` (row `q` at `c + q·ldc`, `ldc` ≥ 16 · `channelPanels(m:)`, rows up to
    /// the panels' end writable).
    ///
    /// Tap `p` of position `q` is `image[taps[p] + flat[q]]`; `flat` holds a position for every row of the panels
    /// (rows past the plane repeat a real one, and their sums are not used). `weights` are packed by `pack`. C
    /// holds the sums' start (the bias, or zero): each sum is that plus the products in depth order, as in
    /// `PackedGemm.multiply` with a row start.
    ///
    /// The tiles broadcast the positions' inputs where they lie; with `gather` (`scratchCount(k:)` floats, and
    /// `image` readable 8 floats past every position a tap reads) each panel's inputs are first gathered into it
    /// once for all the channel panels, for products whose taps each read a plane of their own (deep 1×1 convs),
    /// where the inputs the tiles read in place leave the L1 cache between one channel panel and the next.
    public static func multiply(positionPanels: Range<Int>, channels: Range<Int>, m: Int, k: Int,
                                image: UnsafePointer<Float>, taps: UnsafePointer<Int>, flat: UnsafePointer<Int>,
                                weights: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                                gather scratch: UnsafeMutablePointer<Float>? = nil) {
        let height = MicroKernel.rows, width = MicroKernel.columns
        let panels = channelPanels(m: m)
        for index in 0..<PackedGemm.depthBlockCount(k) {
            let block = PackedGemm.depthBlock(index, of: k)
            let depth = block.count
            let bBlock = weights + block.lowerBound * panels * width
            for panel in positionPanels {
                let q = panel * height
                if let scratch {
                    gather(rows: block, positions: flat + q, image: image, taps: taps, into: scratch)
                    for j in channels {
                        MicroKernel.tile(depth: depth, a: scratch, b: bBlock + j * depth * width,
                                         c: c + q * ldc + j * width, ldc: ldc, start: .accumulate)
                    }
                    continue
                }
                for j in channels {
                    tile(depth: depth, image: image, taps: taps + block.lowerBound, positions: flat + q,
                         b: bBlock + j * depth * width, c: c + q * ldc + j * width, ldc: ldc)
                }
            }
        }
    }

    /// `c[r, 0..<16] += Σ_p image[taps[p] + f[r]] · b[p·16 + 0..<16]` for the six positions `r` (row stride
    /// `ldc`): `MicroKernel.tile` on the positions' inputs broadcast where they lie, the same sums to the bit.
    @inline(__always)
    static func tile(depth: Int, image: UnsafePointer<Float>, taps: UnsafePointer<Int>, positions f: UnsafePointer<Int>,
                     b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        typealias K = MicroKernel
        var c00 = K.load(c), c01 = K.load(c + 8), c10 = K.load(c + ldc), c11 = K.load(c + ldc + 8)
        var c20 = K.load(c + 2 * ldc), c21 = K.load(c + 2 * ldc + 8), c30 = K.load(c + 3 * ldc)
        var c31 = K.load(c + 3 * ldc + 8), c40 = K.load(c + 4 * ldc), c41 = K.load(c + 4 * ldc + 8)
        var c50 = K.load(c + 5 * ldc), c51 = K.load(c + 5 * ldc + 8)
        let (f0, f1, f2, f3, f4, f5) = (f[0], f[1], f[2], f[3], f[4], f[5])
        var pb = b
        for p in 0..<depth {
            let source = image + taps[p]
            let b0 = K.load(pb), b1 = K.load(pb + 8)
            strata_prefetch(pb + 2 * K.prefetchDistance)
            var x = K.splat(source[f0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
            x = K.splat(source[f1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
            x = K.splat(source[f2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
            x = K.splat(source[f3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
            x = K.splat(source[f4]); c40.addProduct(x, b0); c41.addProduct(x, b1)
            x = K.splat(source[f5]); c50.addProduct(x, b0); c51.addProduct(x, b1)
            pb += MicroKernel.columns
        }
        K.store(c00, c); K.store(c01, c + 8); K.store(c10, c + ldc); K.store(c11, c + ldc + 8)
        K.store(c20, c + 2 * ldc); K.store(c21, c + 2 * ldc + 8)
        K.store(c30, c + 3 * ldc); K.store(c31, c + 3 * ldc + 8)
        K.store(c40, c + 4 * ldc); K.store(c41, c + 4 * ldc + 8)
        K.store(c50, c + 5 * ldc); K.store(c51, c + 5 * ldc + 8)
    }

    /// One `depth × 6` A panel: row `p - rows.lowerBound` holds tap `p` of the six positions. Six positions in
    /// at most two runs (the end of one output row and the start of the next) take two 8-wide loads a tap,
    /// blended; others (the last panel's repeated position, output rows of 1 or 2) one load a position.
    @inline(__always)
    public static func gather(rows: Range<Int>, positions f: UnsafePointer<Int>, image: UnsafePointer<Float>,
                       taps: UnsafePointer<Int>, into out: UnsafeMutablePointer<Float>) {
        var split = 1
        while split < 6 && f[split] == f[0] + split { split += 1 }
        var second = split
        while second < 6 && f[second] == f[split] + (second - split) { second += 1 }
        if second == 6 {
            let (first, next) = (f[0], split < 6 ? f[split] - split : f[0])
            let lane = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
            let later = lane .>= SIMD8<Int32>(repeating: Int32(split))
            var to = out
            for p in rows {
                let source = image + taps[p]
                let v = MicroKernel.load(source + first).replacing(with: MicroKernel.load(source + next), where: later)
                MicroKernel.store(v, to)
                to += MicroKernel.rows
            }
            return
        }
        let (f0, f1, f2, f3, f4, f5) = (f[0], f[1], f[2], f[3], f[4], f[5])
        var to = out
        for p in rows {
            let source = image + taps[p]
            to[0] = source[f0]; to[1] = source[f1]; to[2] = source[f2]
            to[3] = source[f3]; to[4] = source[f4]; to[5] = source[f5]
            to += MicroKernel.rows
        }
    }
}

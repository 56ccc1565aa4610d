import AVX2Kernels

/// A stride-1 conv whose product is shallow (a stem reading one to three channels: `k` of a few dozen) computed
/// straight into its output planes. Six output channels (one panel of the packed weights) and two 16-wide runs of
/// an output row go at a time: each depth step loads the two runs' inputs from the shifted image once for all six
/// channels. Through `PackedGemm`, resnet_small's stem (113k multiply-adds, about 1 µs at one core's peak) took
/// 3.6 µs: 9-deep tiles over flat rows, then copied out row by row.
///
/// The sums are `PackedGemm.multiply`'s, to the bit: the same start, the same products in depth order, one fused
/// multiply-add each.
public enum ShallowConvAVX512 {
    /// `y[r·plane + oy·outW + ox] = start[r] + Σ_p A[r, p] · image[taps[p] + oy·pitch + ox]` for every output
    /// channel `r < m`, row `oy < outH` and column `ox < outW` (`outW ≥ 16`), where `packedA` holds A packed by
    /// `PackedGemm.pack` (`k` at most one depth block), `start` is `rowStart` (at least `PackedGemm.panels(m:)·6`
    /// values) or zero, and `image` is readable at every `taps[p] + oy·pitch + ox`.
    public static func run(m: Int, k: Int, packedA: UnsafePointer<Float>, rowStart: UnsafePointer<Float>?,
                           image: UnsafePointer<Float>, taps: UnsafePointer<Int>, pitch: Int, outH: Int, outW: Int,
                           into y: UnsafeMutablePointer<Float>, plane: Int) {
        precondition(outW >= 16 && k <= PackedGemm.depthBlock, "a shallow conv needs rows of 16 and one depth block")
        let height = WideTile.rows
        for panel in 0..<PackedGemm.panels(m: m) {
            let a = packedA + panel * k * height
            let first = panel * height, rows = min(height, m - panel * height)
            let out = y + first * plane, start = rowStart.map { $0 + first }
            for oy in 0..<outH {
                let line = image + oy * pitch
                var x = 0
                while x < outW {
                    // Runs start every 16 columns; the last one ends at the row's end, over the run before it.
                    let r0 = min(x, outW - 16), r1 = min(x + 16, outW - 16)
                    runs(depth: k, a: a, start: start, line: line, taps: taps, r0: r0, r1: r1, rows: rows,
                         into: out + oy * outW, plane: plane)
                    x = r1 + 16
                }
            }
        }
    }

    /// The six channels of one weight panel on the two runs of 16 columns at `r0` and `r1` of one output row
    /// (`rows` of them stored).
    @inline(__always)
    private static func runs(depth: Int, a: UnsafePointer<Float>, start: UnsafePointer<Float>?,
                             line: UnsafePointer<Float>, taps: UnsafePointer<Int>, r0: Int, r1: Int, rows: Int,
                             into y: UnsafeMutablePointer<Float>, plane: Int) {
        let s0 = start?[0] ?? 0, s1 = start?[1] ?? 0, s2 = start?[2] ?? 0
        let s3 = start?[3] ?? 0, s4 = start?[4] ?? 0, s5 = start?[5] ?? 0
        var c00 = WideTile.splat(s0), c10 = WideTile.splat(s1), c20 = WideTile.splat(s2)
        var c30 = WideTile.splat(s3), c40 = WideTile.splat(s4), c50 = WideTile.splat(s5)
        var c01 = WideTile.splat(s0), c11 = WideTile.splat(s1), c21 = WideTile.splat(s2)
        var c31 = WideTile.splat(s3), c41 = WideTile.splat(s4), c51 = WideTile.splat(s5)
        var w = a
        for p in 0..<depth {
            let source = line + taps[p]
            let x0 = WideTile.load(source + r0), x1 = WideTile.load(source + r1)
            var v = WideTile.splat(w[0]); c00.addProduct(v, x0); c01.addProduct(v, x1)
            v = WideTile.splat(w[1]); c10.addProduct(v, x0); c11.addProduct(v, x1)
            v = WideTile.splat(w[2]); c20.addProduct(v, x0); c21.addProduct(v, x1)
            v = WideTile.splat(w[3]); c30.addProduct(v, x0); c31.addProduct(v, x1)
            v = WideTile.splat(w[4]); c40.addProduct(v, x0); c41.addProduct(v, x1)
            v = WideTile.splat(w[5]); c50.addProduct(v, x0); c51.addProduct(v, x1)
            w += WideTile.rows
        }
        // Where the two runs overlap, both hold the same sums.
        @inline(__always) func store(_ r: Int, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>) {
            guard r < rows else { return }
            WideTile.store(v0, y + r * plane + r0)
            WideTile.store(v1, y + r * plane + r1)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
        store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
    }
}

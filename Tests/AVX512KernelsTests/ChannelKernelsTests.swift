import Testing
import AVX2Kernels
import AVX512Kernels
@testable import Runtime

/// The AVX-512 kernels that move channels into vector lanes or fill the last columns of a product, against loops
/// written out element by element: the same bits, and nothing written outside what they own.
@Suite(.enabled(if: CPUFeatures.current.hasAVX512Instructions, "the CPU lacks AVX-512"))
struct ChannelKernelsTests {
    static let values = AVX512GemmTests.values

    /// The last columns of a product by `NarrowColumnsAVX512` (one column after a last single panel: with that
    /// panel's tiles, `WideTile.singleWithColumn`, in full row panels; four columns: eight full panels at a time,
    /// `fourColumns`), against the same product all in tiles: the same bits. Shapes: 7×7 and 14×14 planes (1 and 4
    /// narrow columns), short last row panels, several depth blocks, a subset of row panels, B's rows at offsets,
    /// bias and accumulation.
    @Test(arguments: [
        (m: 96, n: 49, k: 64, panels: 0..<16, narrow: 1),
        (m: 13, n: 49, k: 600, panels: 0..<3, narrow: 1),
        (m: 50, n: 196, k: 300, panels: 2..<9, narrow: 4),
        (m: 7, n: 20, k: 9, panels: 0..<2, narrow: 4),
        (m: 160, n: 17, k: 257, panels: 5..<27, narrow: 1),
        (m: 96, n: 196, k: 300, panels: 0..<16, narrow: 4),
        (m: 100, n: 196, k: 40, panels: 1..<17, narrow: 4),
    ])
    func narrowColumnsMatchTheTiles(_ shape: (m: Int, n: Int, k: Int, panels: Range<Int>, narrow: Int)) {
        for (bias, accumulate, offsets) in [(true, false, false), (false, true, false), (true, true, false), (false, false, true)] {
            func product(narrow: Int) -> [Float] {
                let (m, n, k) = (shape.m, shape.n, shape.k)
                let a = Self.values(m * k, 1), b = Self.values(k * n + 16, 2)
                let rowValues = Self.values(PackedGemm.panels(m: m) * PackedGemm.panelRows, 4)
                var packed = [Float](repeating: .nan, count: PackedGemm.packedCount(m: m, k: k))
                packed.withUnsafeMutableBufferPointer { PackedGemm.pack(m: m, k: k, a: a, lda: k, into: $0.baseAddress!) }
                var out = Self.values(m * n, 3)
                var scratch = [Float](repeating: .nan, count: PackedGemmAVX512.scratchCount(k: k))
                let rows = offsets ? (0..<k).map { $0 * n } : nil
                out.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { s in
                        PackedGemmAVX512.multiply(m: m, n: n, k: k, packedA: packed, panels: shape.panels, b: b, ldb: n,
                                                  rowOffsets: rows, c: o.baseAddress!, ldc: n,
                                                  rowStart: bias ? rowValues : nil, accumulate: accumulate,
                                                  scratch: s.baseAddress!, narrow: narrow)
                    }
                }
                return out
            }
            let tiles = product(narrow: 0), narrow = product(narrow: shape.narrow)
            let differing = tiles.indices.filter { tiles[$0].bitPattern != narrow[$0].bitPattern }
            #expect(differing.isEmpty, "\(shape) bias \(bias) accumulate \(accumulate) offsets \(offsets): \(differing.count) differ")
        }
    }

    /// `ChannelPlanesAVX512.interleave` against the element loop: whole blocks and an overlapping last block, a
    /// count under 16, rows wider and narrower than 16, with and without clamping (NaN stays NaN).
    @Test(arguments: [(count: 49, width: 7, pitch: 9), (count: 196, width: 14, pitch: 16), (count: 10, width: 5, pitch: 7),
                      (count: 60, width: 30, pitch: 31)])
    func interleaveMatchesTheElementLoop(_ shape: (count: Int, width: Int, pitch: Int)) {
        let plane = shape.count + 3
        var x = Self.values(16 * plane, 5).map { $0 * 8 }
        x[17] = .nan
        let rows = (shape.count + shape.width - 1) / shape.width
        for clip in [nil, (low: Float(0), high: Float(6)), (low: Float(0.5), high: Float(2))] as [(low: Float, high: Float)?] {
            var expected = [Float](repeating: -7, count: 16 * rows * shape.pitch + 16)
            for q in 0..<shape.count {
                for ch in 0..<16 {
                    var v = x[ch * plane + q]
                    if let clip { if v < clip.low { v = clip.low }; if v > clip.high { v = clip.high } }
                    expected[16 * ((q / shape.width) * shape.pitch + q % shape.width) + ch] = v
                }
            }
            var y = [Float](repeating: -7, count: expected.count)
            ChannelPlanesAVX512.interleave(x, plane: plane, count: shape.count, width: shape.width, pitch: shape.pitch,
                                           into: &y, clip: clip)
            #expect(zip(expected, y).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(shape) clip \(String(describing: clip))")
        }
    }

    /// `DepthwiseChannelsAVX512.convolve` against each lane's sum written out in the scalar loops' order: 3×3 at
    /// strides 1 and 2 and dilated, and a 5×3 window (tap after tap from the bias).
    @Test(arguments: [(kh: 3, kw: 3, s: 1, d: 1), (kh: 3, kw: 3, s: 2, d: 1), (kh: 3, kw: 3, s: 1, d: 2),
                      (kh: 5, kw: 3, s: 2, d: 1)])
    func depthwiseByChannelsMatchesTheScalarSums(_ k: (kh: Int, kw: Int, s: Int, d: Int)) {
        let (rows, columns) = (4, 5)
        let paddedRows = (rows - 1) * k.s + (k.kh - 1) * k.d + 1, pitch = (columns - 1) * k.s + (k.kw - 1) * k.d + 3
        let padded = Self.values(16 * paddedRows * pitch, 6)
        let weights = Self.values(16 * k.kh * k.kw, 7), bias = Self.values(16, 8)
        let taps = (0..<(k.kh * k.kw)).map { t in SIMD16<Float>((0..<16).map { weights[t * 16 + $0] }) }
        var out = [Float](repeating: .nan, count: 16 * rows * columns)
        let window: DepthwiseChannelsAVX512.Window = (rows: rows, columns: columns, pitch: pitch, kernelH: k.kh,
                                                      kernelW: k.kw, strideH: k.s, strideW: k.s, dilationH: k.d,
                                                      dilationW: k.d)
        taps.withUnsafeBufferPointer {
            DepthwiseChannelsAVX512.convolve(padded, window, taps: $0.baseAddress!, bias: SIMD16(bias), into: &out)
        }
        for oy in 0..<rows {
            for ox in 0..<columns {
                for ch in 0..<16 {
                    func x(_ ky: Int, _ kx: Int) -> Float {
                        padded[16 * ((oy * k.s + ky * k.d) * pitch + ox * k.s + kx * k.d) + ch]
                    }
                    func w(_ ky: Int, _ kx: Int) -> Float { weights[(ky * k.kw + kx) * 16 + ch] }
                    var expected: Float
                    if k.kh == 3 && k.kw == 3 {
                        let a = w(0, 0) * x(0, 0) + w(0, 1) * x(0, 1) + w(0, 2) * x(0, 2)
                        let b = w(1, 0) * x(1, 0) + w(1, 1) * x(1, 1) + w(1, 2) * x(1, 2)
                        expected = bias[ch] + a + b + (w(2, 0) * x(2, 0) + w(2, 1) * x(2, 1) + w(2, 2) * x(2, 2))
                    } else {
                        expected = bias[ch]
                        for ky in 0..<k.kh { for kx in 0..<k.kw { expected += w(ky, kx) * x(ky, kx) } }
                    }
                    #expect(out[16 * (oy * columns + ox) + ch].bitPattern == expected.bitPattern, "\(k) at \(oy), \(ox), \(ch)")
                }
            }
        }
    }

    /// `PaddedRowsAVX512.copyPlanes` against the element loop: rows inside and outside the input, left padding,
    /// lines narrower and wider than 16, rows read at a step, loads that would leave the readable planes.
    @Test(arguments: [(inW: 14, left: 1, pitch: 16, rowStep: 1, padTop: 1), (inW: 7, left: 1, pitch: 9, rowStep: 1, padTop: 1),
                      (inW: 28, left: 0, pitch: 29, rowStep: 2, padTop: 0), (inW: 5, left: 2, pitch: 8, rowStep: 1, padTop: 2)])
    func paddedRowsMatchTheElementLoop(_ shape: (inW: Int, left: Int, pitch: Int, rowStep: Int, padTop: Int)) {
        let (channels, inH) = (3, 6)
        let x = Self.values(channels * inH * shape.inW, 9)
        let width = min(shape.inW, shape.pitch - shape.left)
        let planeRows = 0..<(inH + 2)
        var expected = [Float](repeating: -7, count: channels * planeRows.count * shape.pitch + 16)
        for c in 0..<channels {
            for u in planeRows {
                let iy = u * shape.rowStep - shape.padTop
                for v in 0..<shape.pitch {
                    let ix = v - shape.left
                    let inside = iy >= 0 && iy < inH && ix >= 0 && ix < width
                    expected[(c * planeRows.count + u) * shape.pitch + v] = inside ? x[(c * inH + iy) * shape.inW + ix] : 0
                }
            }
        }
        for spills in [false, true] {
            var y = [Float](repeating: -7, count: expected.count)
            x.withUnsafeBufferPointer { xs in
                let base = xs.baseAddress!
                PaddedRowsAVX512.copyPlanes(base, channels: 0..<channels, inH: inH, inW: shape.inW, planeRows: planeRows,
                                            rowStep: shape.rowStep, padTop: shape.padTop, left: shape.left,
                                            width: width, pitch: shape.pitch, into: &y,
                                            readable: base..<(base + xs.count), spills: spills)
            }
            let lines = channels * planeRows.count * shape.pitch
            #expect(zip(expected[..<lines], y[..<lines]).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(shape)")
            // Without spilling, nothing past the last line is written.
            if !spills { #expect(y[lines...].allSatisfy { $0 == -7 }) }
        }
    }

    /// `RowSums` (AVX2 and AVX-512) against the plain loop `sum[j] += a[p] · b[p][j]`, row after row: the same bits,
    /// over a count of rows that leaves a remainder of the eight-row passes, a strided `a`, and a column tail.
    @Test func rowSumsMatchThePlainLoop() {
        let (n, k, ldb, stride) = (37, 21, 40, 3)
        let a = Self.values(k * stride, 10), b = Self.values(k * ldb, 11)
        var expected = Self.values(n, 12)
        for p in 0..<k { for j in 0..<n { expected[j] += a[p * stride] * b[p * ldb + j] } }
        var avx2 = Self.values(n, 12), avx512 = Self.values(n, 12)
        RowSums.accumulate(&avx2, n: n, rows: b, ldb: ldb, scales: a, scaleStride: stride, count: k)
        RowSumsAVX512.accumulate(&avx512, n: n, rows: b, ldb: ldb, scales: a, scaleStride: stride, count: k)
        #expect(zip(expected, avx2).allSatisfy { $0.bitPattern == $1.bitPattern })
        #expect(zip(expected, avx512).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}

import Testing
import AVX2Kernels
import AVX512Kernels
@testable import Runtime

/// The AVX-512 products against AVX2Kernels' (which `PackedGemmTests` checks against a triple loop): the same
/// bits in every element of C, and nothing written outside the product, over shapes that hit every tile (pairs of
/// panels, a last single panel, short and cut row panels, edges of 1 to 31 columns), several depth blocks, strided
/// B and C, B's rows at offsets (read in place or packed), gathered column runs, bias and accumulation.
@Suite(.enabled(if: CPUFeatures.current.hasAVX512Instructions, "the CPU lacks AVX-512"))
struct AVX512GemmTests {
    struct Case: CustomStringConvertible {
        var m: Int, n: Int, k: Int
        var ldb: Int, ldc: Int
        var description: String { "m \(m) n \(n) k \(k) ldb \(ldb) ldc \(ldc)" }
    }

    /// A deterministic pseudo-random matrix in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state % 2000) / 1000 - 1
        }
    }

    enum Kernels { case avx2, avx512 }

    /// C after one product on `kernels`. With `reversedRows`, B's rows are given by `rowOffsets`, last row first;
    /// with `runs`, B's columns are gathered by them.
    static func product(_ c: Case, on kernels: Kernels, bias: Bool, accumulate: Bool, panels: Range<Int>? = nil,
                        reversedRows: Bool = false, runs: [Int]? = nil) -> [Float] {
        let a = values(c.m * c.k, seed: 1), b = values(c.k * c.ldb + 16, seed: 2)
        let rowValues = values(PackedGemm.panels(m: c.m) * PackedGemm.panelRows, seed: 4)
        var packed = [Float](repeating: .nan, count: PackedGemm.packedCount(m: c.m, k: c.k))
        packed.withUnsafeMutableBufferPointer { PackedGemm.pack(m: c.m, k: c.k, a: a, lda: c.k, into: $0.baseAddress!) }
        var out = values(c.m * c.ldc, seed: 3)
        let rows = panels ?? 0..<PackedGemm.panels(m: c.m)
        let count = kernels == .avx2 ? PackedGemm.scratchCount(k: c.k) : PackedGemmAVX512.scratchCount(k: c.k)
        var scratch = [Float](repeating: .nan, count: count)
        let offsets = reversedRows ? (0..<c.k).map { (c.k - 1 - $0) * c.ldb } : nil
        let start = bias ? rowValues : nil
        out.withUnsafeMutableBufferPointer { o in
            scratch.withUnsafeMutableBufferPointer { s in
                switch kernels {
                case .avx2:
                    PackedGemm.multiply(m: c.m, n: c.n, k: c.k, packedA: packed, panels: rows, b: b, ldb: c.ldb,
                                        rowOffsets: offsets, columnRuns: runs, c: o.baseAddress!, ldc: c.ldc,
                                        rowStart: start, accumulate: accumulate, scratch: s.baseAddress!)
                case .avx512:
                    PackedGemmAVX512.multiply(m: c.m, n: c.n, k: c.k, packedA: packed, panels: rows, b: b,
                                              ldb: c.ldb, rowOffsets: offsets, columnRuns: runs, c: o.baseAddress!,
                                              ldc: c.ldc, rowStart: start, accumulate: accumulate,
                                              scratch: s.baseAddress!)
                }
            }
        }
        return out
    }

    static func check(_ c: Case, bias: Bool, accumulate: Bool, panels: Range<Int>? = nil, reversedRows: Bool = false,
                      runs: [Int]? = nil) {
        let narrow = product(c, on: .avx2, bias: bias, accumulate: accumulate, panels: panels,
                             reversedRows: reversedRows, runs: runs)
        let wide = product(c, on: .avx512, bias: bias, accumulate: accumulate, panels: panels,
                           reversedRows: reversedRows, runs: runs)
        let differing = narrow.indices.filter { narrow[$0].bitPattern != wide[$0].bitPattern }
        #expect(differing.isEmpty, """
            \(c) bias \(bias) accumulate \(accumulate) panels \(String(describing: panels)) reversed \(reversedRows) \
            runs \(runs != nil): \(differing.count) elements differ, first at \(differing.first ?? -1)
            """)
    }

    @Test(arguments: [
        Case(m: 6, n: 32, k: 1, ldb: 32, ldc: 32),
        Case(m: 6, n: 16, k: 5, ldb: 16, ldc: 16),
        Case(m: 1, n: 1, k: 3, ldb: 1, ldc: 1),
        Case(m: 7, n: 17, k: 9, ldb: 20, ldc: 19),
        Case(m: 16, n: 49, k: 576, ldb: 49, ldc: 49),
        Case(m: 16, n: 784, k: 144, ldb: 784, ldc: 784),
        Case(m: 64, n: 100, k: 257, ldb: 130, ldc: 101),
        Case(m: 130, n: 33, k: 600, ldb: 33, ldc: 40),
        Case(m: 12, n: 24, k: 300, ldb: 24, ldc: 24),
        Case(m: 13, n: 30, k: 40, ldb: 31, ldc: 30),
        Case(m: 160, n: 21, k: 280, ldb: 21, ldc: 23),
        Case(m: 14, n: 63, k: 70, ldb: 65, ldc: 64),
        Case(m: 9, n: 48, k: 300, ldb: 48, ldc: 50),
        Case(m: 11, n: 40, k: 8, ldb: 40, ldc: 40),
    ])
    func packedProductMatchesAVX2(_ c: Case) {
        Self.check(c, bias: false, accumulate: false)
        Self.check(c, bias: true, accumulate: false)
        Self.check(c, bias: false, accumulate: true)
    }

    /// B's rows at offsets: up to `PackedGemm.inPlacePanels` row panels read whole panels in place (pairs, a last
    /// single panel, short row panels), the rest are packed.
    @Test(arguments: [
        Case(m: 16, n: 40, k: 144, ldb: 41, ldc: 40),
        Case(m: 16, n: 48, k: 144, ldb: 48, ldc: 48),
        Case(m: 24, n: 33, k: 300, ldb: 33, ldc: 35),
        Case(m: 7, n: 16, k: 9, ldb: 16, ldc: 16),
        Case(m: 29, n: 50, k: 27, ldb: 50, ldc: 50),
        Case(m: 36, n: 20, k: 520, ldb: 24, ldc: 20),
        Case(m: 64, n: 32, k: 70, ldb: 32, ldc: 32),
        Case(m: 9, n: 80, k: 30, ldb: 80, ldc: 80),
    ])
    func rowsAtOffsetsMatchAVX2(_ c: Case) {
        Self.check(c, bias: true, accumulate: false, reversedRows: true)
        Self.check(c, bias: false, accumulate: true, reversedRows: true)
        Self.check(c, bias: false, accumulate: false, panels: 1..<2, reversedRows: true)
    }

    @Test func rowPanelSubsetsMatchAVX2() {
        Self.check(Case(m: 40, n: 35, k: 300, ldb: 35, ldc: 35), bias: true, accumulate: false, panels: 2..<5)
        Self.check(Case(m: 40, n: 35, k: 20, ldb: 35, ldc: 35), bias: false, accumulate: false, panels: 6..<7)
    }

    /// B's columns gathered by `columnRuns` from flat rows of `pitch`, as a small conv plane's product reads them
    /// (the runs `ConvShifted` makes).
    @Test(arguments: [(7, 7, 9, 70), (14, 14, 16, 37), (3, 5, 6, 300), (2, 20, 23, 13), (4, 4, 6, 9)])
    func columnRunsMatchAVX2(_ shape: (height: Int, width: Int, pitch: Int, k: Int)) {
        let (height, width, pitch, k) = shape
        let n = height * width
        let runs = ConvKernels.denseColumnRuns(outH: height, outW: width, pitch: pitch)
        let c = Case(m: 11, n: n, k: k, ldb: height * pitch, ldc: n)
        Self.check(c, bias: false, accumulate: false, runs: runs)
        Self.check(c, bias: true, accumulate: false, runs: runs)
    }

    /// `PositionGemmAVX512` against `PositionGemm` in the rows of real positions: a 7×7 plane read through taps,
    /// at stride 1 and 2, pairs of channel panels and a last single one, subsets of position panels and of channel
    /// panels, and the last panel's one position in fours, pairs and singles of channel panels.
    @Test(arguments: [(64, 144, 0..<9, 0..<4, 1), (40, 300, 2..<7, 0..<3, 2), (48, 27, 0..<9, 1..<3, 1),
                      (16, 9, 3..<4, 0..<1, 2), (32, 70, 0..<9, 0..<2, 2), (112, 50, 7..<9, 0..<7, 2),
                      (16, 9, 0..<9, 0..<1, 1), (80, 33, 8..<9, 1..<5, 1)])
    func positionProductMatchesAVX2(
        _ shape: (m: Int, k: Int, positions: Range<Int>, channels: Range<Int>, stride: Int)
    ) {
        let (m, k, stride) = (shape.m, shape.k, shape.stride)
        let (outW, plane) = (7, 49)
        let pitch = stride * 6 + 3
        let image = Self.values(k * 4 + stride * 9 * pitch, seed: 7)
        let taps = (0..<k).map { ($0 * 5) % (k * 4) }
        let flat = (0..<54).map { q -> Int in let p = min(q, plane - 1); return stride * (p / outW * pitch + p % outW) }
        let w = Self.values(m * k, seed: 8)
        var weights = [Float](repeating: .nan, count: PositionGemm.packedCount(m: m, k: k))
        weights.withUnsafeMutableBufferPointer { PositionGemm.pack(m: m, k: k, w: w, into: $0.baseAddress!) }
        let ldc = PositionGemm.channelPanels(m: m) * 16
        func product(_ kernels: Kernels, gathering: Bool) -> [Float] {
            var c = Self.values(54 * ldc, seed: 9)
            var scratch = [Float](repeating: .nan, count: PositionGemm.scratchCount(k: k))
            scratch.withUnsafeMutableBufferPointer { buffer in
                let gather = gathering ? buffer.baseAddress! : nil
                switch kernels {
                case .avx2:
                    PositionGemm.multiply(positionPanels: shape.positions, channels: shape.channels, m: m, k: k,
                                          image: image, taps: taps, flat: flat, weights: weights, c: &c, ldc: ldc,
                                          gather: gather)
                case .avx512:
                    PositionGemmAVX512.multiply(positionPanels: shape.positions, channels: shape.channels, m: m, k: k,
                                                image: image, taps: taps, flat: flat, weights: weights, c: &c,
                                                ldc: ldc, gather: gather)
                }
            }
            return c
        }
        let narrow = product(.avx2, gathering: false)
        for (kernels, gathering) in [(Kernels.avx2, true), (.avx512, false), (.avx512, true)] {
            let other = product(kernels, gathering: gathering)
            #expect(zip(narrow.prefix(plane * ldc), other).allSatisfy { $0.bitPattern == $1.bitPattern },
                    "\(shape) \(kernels) \(gathering)")
        }
        // Against the sums written out: the start, then the products in depth order, one fused multiply-add each.
        var expected = Self.values(54 * ldc, seed: 9)
        for panel in shape.positions {
            for q in (panel * 6)..<(panel * 6 + 6) {
                for ch in (shape.channels.lowerBound * 16)..<min(m, shape.channels.upperBound * 16) {
                    var sum = expected[q * ldc + ch]
                    for p in 0..<k { sum.addProduct(image[taps[p] + flat[q]], w[ch * k + p]) }
                    expected[q * ldc + ch] = sum
                }
            }
        }
        #expect(zip(expected, narrow).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(shape) against the sums")
    }

    /// `ChannelPlanesAVX512` against the element loop: whole 16×16 blocks, a last panel of fewer channels, a
    /// tail of positions, and positions starting inside the product.
    @Test(arguments: [(40, 0..<49, 0..<40, 49), (16, 6..<54, 0..<16, 54), (32, 3..<37, 0..<32, 40),
                      (48, 0..<16, 16..<41, 16)])
    func channelPlanesMatchTheElementLoop(
        _ shape: (ldc: Int, positions: Range<Int>, channels: Range<Int>, plane: Int)
    ) {
        let c = Self.values(shape.plane * shape.ldc, seed: 10)
        var expected = [Float](repeating: .nan, count: shape.ldc * shape.plane)
        for ch in shape.channels { for q in shape.positions { expected[ch * shape.plane + q] = c[q * shape.ldc + ch] } }
        var y = [Float](repeating: .nan, count: shape.ldc * shape.plane)
        ChannelPlanesAVX512.write(c, ldc: shape.ldc, positions: shape.positions, channels: shape.channels,
                                  plane: shape.plane, into: &y)
        #expect(zip(expected, y).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(shape)")
    }
}

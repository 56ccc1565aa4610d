import Testing
import AVX2Kernels
import Runtime

/// `PackedGemm` against a plain triple loop in Double, over shapes that hit every edge: rows and columns that are
/// not whole tiles (a last panel of 8 columns or fewer takes the narrow tile, a last row panel of 1 to 4 rows the
/// short one), several depth blocks, strided B and C, a subset of row panels, bias and accumulation.
@Suite(.enabled(if: CPUFeatures.current.hasHaswellInstructions, "the CPU lacks AVX2/FMA"))
struct PackedGemmTests {
    struct Case {
        var m: Int, n: Int, k: Int
        var ldb: Int, ldc: Int
    }

    /// A deterministic pseudo-random matrix in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state % 2000) / 1000 - 1
        }
    }

    /// With `reversedRows`, B's rows are given by `rowOffsets`, last row first.
    static func check(_ c: Case, bias: Bool, accumulate: Bool, panels: Range<Int>? = nil, reversedRows: Bool = false) {
        let a = values(c.m * c.k, seed: 1), b = values(c.k * c.ldb, seed: 2)
        let start = values(c.m * c.ldc, seed: 3)
        let rowValues = values(PackedGemm.panels(m: c.m) * PackedGemm.panelRows, seed: 4)
        var packed = [Float](repeating: .nan, count: PackedGemm.packedCount(m: c.m, k: c.k))
        packed.withUnsafeMutableBufferPointer { PackedGemm.pack(m: c.m, k: c.k, a: a, lda: c.k, into: $0.baseAddress!) }
        var out = start
        let rows = panels ?? 0..<PackedGemm.panels(m: c.m)
        var scratch = [Float](repeating: .nan, count: PackedGemm.scratchCount(k: c.k))
        let offsets = reversedRows ? (0..<c.k).map { (c.k - 1 - $0) * c.ldb } : nil
        func row(_ p: Int) -> Int { reversedRows ? c.k - 1 - p : p }
        out.withUnsafeMutableBufferPointer { o in
            scratch.withUnsafeMutableBufferPointer { s in
                rowValues.withUnsafeBufferPointer { r in
                    PackedGemm.multiply(m: c.m, n: c.n, k: c.k, packedA: packed, panels: rows, b: b, ldb: c.ldb,
                                        rowOffsets: offsets, c: o.baseAddress!, ldc: c.ldc, rowStart: bias ? r.baseAddress! : nil,
                                        accumulate: accumulate, scratch: s.baseAddress!)
                }
            }
        }
        let covered = (rows.lowerBound * PackedGemm.panelRows)..<min(c.m, rows.upperBound * PackedGemm.panelRows)
        var worst = 0.0
        for i in 0..<c.m {
            for j in 0..<c.ldc {
                let index = i * c.ldc + j
                guard covered.contains(i), j < c.n else {
                    #expect(out[index] == start[index], "C[\(i), \(j)] outside the product was written")
                    continue
                }
                var sum = bias ? Double(rowValues[i]) : accumulate ? Double(start[index]) : 0
                for p in 0..<c.k { sum += Double(a[i * c.k + p]) * Double(b[row(p) * c.ldb + j]) }
                worst = max(worst, abs(sum - Double(out[index])))
            }
        }
        #expect(worst <= 1e-4 * Double(max(1, c.k)).squareRoot(),
                "\(c) bias \(bias) accumulate \(accumulate) reversed \(reversedRows): \(worst)")
    }

    @Test(arguments: [
        Case(m: 6, n: 16, k: 1, ldb: 16, ldc: 16),
        Case(m: 1, n: 1, k: 3, ldb: 1, ldc: 1),
        Case(m: 7, n: 17, k: 9, ldb: 20, ldc: 19),
        Case(m: 16, n: 49, k: 576, ldb: 49, ldc: 49),
        Case(m: 64, n: 100, k: 257, ldb: 130, ldc: 101),
        Case(m: 130, n: 33, k: 600, ldb: 33, ldc: 40),
        Case(m: 12, n: 24, k: 300, ldb: 24, ldc: 24),
        Case(m: 13, n: 30, k: 40, ldb: 31, ldc: 30),
        Case(m: 160, n: 21, k: 280, ldb: 21, ldc: 23),
        Case(m: 14, n: 32, k: 70, ldb: 33, ldc: 32),
        Case(m: 9, n: 48, k: 300, ldb: 48, ldc: 50),
    ])
    func matchesTripleLoop(_ c: Case) {
        Self.check(c, bias: false, accumulate: false)
        Self.check(c, bias: true, accumulate: false)
        Self.check(c, bias: false, accumulate: true)
    }

    /// B's columns gathered by `columnRuns` from flat rows of `pitch` (as a small conv plane's product reads its
    /// padded planes): a `height × width` plane, the panels cut at row ends and into runs of at most 8, a last
    /// panel of 8 columns or fewer, and a B readable only 7 floats past its last run.
    @Test(arguments: [(7, 7, 9, 70), (14, 14, 16, 37), (3, 5, 6, 300), (2, 20, 23, 13)])
    func columnRunsGatherTheirColumns(_ shape: (height: Int, width: Int, pitch: Int, k: Int)) {
        let (height, width, pitch, k) = shape
        let (m, n) = (11, height * width)
        let rowLength = height * pitch
        let a = Self.values(m * k, seed: 5), b = Self.values(k * rowLength + 7, seed: 6)
        var first: [Int] = [], source: [Int] = [], target: [Int] = []
        for panel in 0..<((n + 15) / 16) {
            first.append(source.count)
            var q = panel * 16
            while q < min(n, panel * 16 + 16) {
                source.append(q / width * pitch + q % width)
                target.append(q - panel * 16)
                q += min(8, width - q % width, min(n, panel * 16 + 16) - q)
            }
        }
        first.append(source.count)
        let runs = first + source + target
        var packed = [Float](repeating: .nan, count: PackedGemm.packedCount(m: m, k: k))
        packed.withUnsafeMutableBufferPointer { PackedGemm.pack(m: m, k: k, a: a, lda: k, into: $0.baseAddress!) }
        var out = [Float](repeating: .nan, count: m * n)
        var scratch = [Float](repeating: .nan, count: PackedGemm.scratchCount(k: k))
        PackedGemm.multiply(m: m, n: n, k: k, packedA: packed, panels: 0..<PackedGemm.panels(m: m), b: b, ldb: rowLength,
                            columnRuns: runs, c: &out, ldc: n, rowStart: nil, accumulate: false, scratch: &scratch)
        var worst = 0.0
        for i in 0..<m {
            for q in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * rowLength + q / width * pitch + q % width]) }
                worst = max(worst, abs(sum - Double(out[i * n + q])))
            }
        }
        #expect(worst <= 1e-4 * Double(k).squareRoot(), "\(shape): \(worst)")
    }

    /// B's rows at `rowOffsets`: up to `PackedGemm.inPlacePanels` row panels read whole 16-column panels of them in
    /// place (full tiles, and short tiles of 1 to 4 rows; a last panel of 5 rows packs), the rest are packed.
    @Test(arguments: [
        Case(m: 16, n: 40, k: 144, ldb: 41, ldc: 40),
        Case(m: 24, n: 33, k: 300, ldb: 33, ldc: 35),
        Case(m: 7, n: 16, k: 9, ldb: 16, ldc: 16),
        Case(m: 29, n: 50, k: 27, ldb: 50, ldc: 50),
        Case(m: 36, n: 20, k: 520, ldb: 24, ldc: 20),
        Case(m: 64, n: 32, k: 70, ldb: 32, ldc: 32),
    ])
    func rowsAtOffsets(_ c: Case) {
        Self.check(c, bias: true, accumulate: false, reversedRows: true)
        Self.check(c, bias: false, accumulate: true, reversedRows: true)
        Self.check(c, bias: false, accumulate: false, panels: 1..<2, reversedRows: true)
    }

    @Test func rowPanelSubsetWritesOnlyItsRows() {
        Self.check(Case(m: 40, n: 35, k: 300, ldb: 35, ldc: 35), bias: true, accumulate: false, panels: 2..<5)
        Self.check(Case(m: 40, n: 35, k: 20, ldb: 35, ldc: 35), bias: false, accumulate: false, panels: 6..<7)
    }
}

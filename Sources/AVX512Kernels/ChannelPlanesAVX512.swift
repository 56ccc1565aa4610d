import AVX2Kernels

/// Between channel planes and vectors of 16 channels, 16 positions by 16 channels at a time: a block is loaded as
/// 16 vectors and transposed in registers (four rounds of de-interleaving pairs of vectors), so both sides are
/// read and written 16 floats at a time instead of one strided float at a time. `write` turns `PositionGemm`'s
/// position-major product into planes; `interleave` turns planes into the vectors `DepthwiseChannelsAVX512` reads.
public enum ChannelPlanesAVX512 {
    /// `y[ch·plane + q] = c[q·ldc + ch]` for every `ch` in `channels` and `q` in `positions`. `channels` starts
    /// at a multiple of 16, and every row of `c` in `positions` holds whole panels of 16 channels. A count of 16
    /// or more that does not divide ends with a block overlapping the one before.
    public static func write(_ c: UnsafePointer<Float>, ldc: Int, positions: Range<Int>, channels: Range<Int>,
                             plane: Int, into y: UnsafeMutablePointer<Float>) {
        var first = channels.lowerBound
        while first < channels.upperBound {
            let count = min(16, channels.upperBound - first)
            var q = positions.lowerBound
            while q + 16 <= positions.upperBound {
                block(c + q * ldc + first, ldc: ldc, into: y + first * plane + q, plane: plane, channels: count)
                q += 16
            }
            if q < positions.upperBound && positions.count >= 16 {
                // The last 16 positions, overlapping the block before: the same values again, not a scalar tail.
                let last = positions.upperBound - 16
                block(c + last * ldc + first, ldc: ldc, into: y + first * plane + last, plane: plane, channels: count)
            } else {
                for ch in first..<(first + count) {
                    for p in q..<positions.upperBound { y[ch * plane + p] = c[p * ldc + ch] }
                }
            }
            first += 16
        }
    }

    /// Writes 16 positions (rows of `c`, 16 channels each) as the first `channels` of 16 plane rows of `y`.
    @inline(__always)
    static func block(_ c: UnsafePointer<Float>, ldc: Int, into y: UnsafeMutablePointer<Float>, plane: Int,
                      channels: Int) {
        transposed(c, ldc: ldc) { j, v in
            if j < channels { WideTile.store(v, y + j * plane) }
        }
    }

    /// Copies `count` positions of 16 planes (`x + ch·plane`, each position `q` at `x[ch·plane + q]`, rows `width`
    /// wide) into vectors of 16 channels: position `q` of row `r = q / width`, column `q mod width` goes to
    /// `into + 16·(r·pitch + q mod width)`. With `clip`, every value is raised to `clip.low` and lowered to
    /// `clip.high` (NaN stays NaN). Blocks of 16 positions are transposed in registers; a count of 16 or more that
    /// does not divide ends with a block overlapping the one before.
    public static func interleave(_ x: UnsafePointer<Float>, plane: Int, count: Int, width: Int, pitch: Int,
                                  into dst: UnsafeMutablePointer<Float>, clip: (low: Float, high: Float)?) {
        if let clip {
            interleave(x, plane: plane, count: count, width: width, pitch: pitch, into: dst) {
                FloatMaps.clamped($0, clip.low, clip.high)
            }
        } else {
            interleave(x, plane: plane, count: count, width: width, pitch: pitch, into: dst) { $0 }
        }
    }

    @inline(__always)
    private static func interleave(_ x: UnsafePointer<Float>, plane: Int, count: Int, width: Int, pitch: Int,
                                   into dst: UnsafeMutablePointer<Float>,
                                   _ map: (SIMD16<Float>) -> SIMD16<Float>) {
        guard count >= 16 else {
            for q in 0..<count {
                var v = SIMD16<Float>()
                for ch in 0..<16 { v[ch] = x[ch * plane + q] }
                WideTile.store(map(v), dst + 16 * ((q / width) * pitch + q % width))
            }
            return
        }
        var q = 0
        while q < count {
            let first = min(q, count - 16)
            var (r, column) = first.quotientAndRemainder(dividingBy: width)
            transposed(x + first, ldc: plane) { _, v in
                WideTile.store(map(v), dst + 16 * (r * pitch + column))
                column += 1
                if column == width { (r, column) = (r + 1, 0) }
            }
            q = first + 16
        }
    }

    typealias Vector = SIMD16<Float>
    typealias Block = (Vector, Vector, Vector, Vector, Vector, Vector, Vector, Vector,
                       Vector, Vector, Vector, Vector, Vector, Vector, Vector, Vector)

    /// Calls `body(j, v)` for `j` in `0..<16` in order, `v` holding element `j` of the 16 rows of 16 floats at
    /// `c + i·ldc`. The block stays in registers: a tuple, written out, not a buffer the rounds store and reload.
    @inline(__always)
    static func transposed(_ c: UnsafePointer<Float>, ldc: Int, _ body: (Int, Vector) -> Void) {
        @inline(__always) func l(_ i: Int) -> Vector { WideTile.load(c + i * ldc) }
        var r: Block = (l(0), l(1), l(2), l(3), l(4), l(5), l(6), l(7), l(8), l(9), l(10), l(11), l(12), l(13), l(14), l(15))
        // Each round takes element (i, j) to row 8·(j mod 2) + i / 2, column 8·(i mod 2) + j / 2: its 8-bit
        // index 16·i + j rotated right by one. Four rounds swap the index's halves, row and column.
        for _ in 0..<4 { r = deinterleaved(r) }
        body(0, r.0)
        body(1, r.1)
        body(2, r.2)
        body(3, r.3)
        body(4, r.4)
        body(5, r.5)
        body(6, r.6)
        body(7, r.7)
        body(8, r.8)
        body(9, r.9)
        body(10, r.10)
        body(11, r.11)
        body(12, r.12)
        body(13, r.13)
        body(14, r.14)
        body(15, r.15)
    }

    /// One round: rows `2i` and `2i + 1` give row `i` (their even elements) and row `i + 8` (their odd ones).
    @inline(__always)
    private static func deinterleaved(_ r: Block) -> Block {
        @inline(__always) func split(_ a: Vector, _ b: Vector) -> (Vector, Vector) {
            let pair = SIMD32<Float>(lowHalf: a, highHalf: b)
            return (pair.evenHalf, pair.oddHalf)
        }
        let (a0, b0) = split(r.0, r.1)
        let (a1, b1) = split(r.2, r.3)
        let (a2, b2) = split(r.4, r.5)
        let (a3, b3) = split(r.6, r.7)
        let (a4, b4) = split(r.8, r.9)
        let (a5, b5) = split(r.10, r.11)
        let (a6, b6) = split(r.12, r.13)
        let (a7, b7) = split(r.14, r.15)
        return (a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7)
    }
}

/// Turns `PositionGemm`'s position-major product into channel planes, 16 positions by 16 channels at a time: a
/// block is loaded as 16 vectors of channels and transposed in registers (four rounds of de-interleaving pairs of
/// vectors), so the planes are written 16 floats at a time instead of one strided float at a time.
public enum ChannelPlanesAVX512 {
    /// `y[ch·plane + q] = c[q·ldc + ch]` for every `ch` in `channels` and `q` in `positions`. `channels` starts
    /// at a multiple of 16, and every row of `c` in `positions` holds whole panels of 16 channels.
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
            for ch in first..<(first + count) {
                for p in q..<positions.upperBound { y[ch * plane + p] = c[p * ldc + ch] }
            }
            first += 16
        }
    }

    /// Writes 16 positions (rows of `c`, 16 channels each) as the first `channels` of 16 plane rows of `y`.
    @inline(__always)
    static func block(_ c: UnsafePointer<Float>, ldc: Int, into y: UnsafeMutablePointer<Float>, plane: Int,
                      channels: Int) {
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 32) { buffer in
            var rows = buffer.baseAddress!, next = rows + 16
            for i in 0..<16 { rows[i] = WideTile.load(c + i * ldc) }
            // Each round takes element (i, j) to row 8·(j mod 2) + i / 2, column 8·(i mod 2) + j / 2: its 8-bit
            // index 16·i + j rotated right by one. Four rounds swap the index's halves, row and column.
            for _ in 0..<4 {
                for i in 0..<8 {
                    let pair = SIMD32<Float>(lowHalf: rows[2 * i], highHalf: rows[2 * i + 1])
                    next[i] = pair.evenHalf
                    next[i + 8] = pair.oddHalf
                }
                swap(&rows, &next)
            }
            for j in 0..<channels { WideTile.store(rows[j], y + j * plane) }
        }
    }
}

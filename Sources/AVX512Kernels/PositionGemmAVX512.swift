import AVX2Kernels

/// AVX2Kernels' `PositionGemm.multiply` on AVX-512: the same positions and packed channel panels, the same sums to
/// the bit, with the channel panels taken two at a time into 6×32 tiles (`PositionTile`). A panel holding one real
/// position (a 7×7 plane's last) computes that row alone (`PositionRowTile`), without the sums of the rows that
/// repeat it.
public enum PositionGemmAVX512 {
    /// `PositionGemm.multiply`, with the same arguments and the same sums in the rows of real positions (and the same
    /// use of `gather`); a panel's rows that repeat its only real position may be left as they were.
    public static func multiply(positionPanels: Range<Int>, channels: Range<Int>, m: Int, k: Int,
                                image: UnsafePointer<Float>, taps: UnsafePointer<Int>, flat: UnsafePointer<Int>,
                                weights: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                                gather scratch: UnsafeMutablePointer<Float>? = nil) {
        let height = WideTile.rows, width = WideTile.columns
        let panels = PositionGemm.channelPanels(m: m)
        for index in 0..<PackedGemm.depthBlockCount(k) {
            let block = PackedGemm.depthBlock(index, of: k)
            let depth = block.count
            let bBlock = weights + block.lowerBound * panels * width
            let blockTaps = taps + block.lowerBound
            for panel in positionPanels {
                let q = panel * height
                var j = channels.lowerBound
                if let scratch {
                    PositionGemm.gather(rows: block, positions: flat + q, image: image, taps: taps, into: scratch)
                    while j + 1 < channels.upperBound {
                        WideTile.pair(depth: depth, a: scratch, b0: bBlock + j * depth * width,
                                      b1: bBlock + (j + 1) * depth * width, offsets: nil, c: c + q * ldc + j * width,
                                      ldc: ldc, start: .accumulate)
                        j += 2
                    }
                    if j < channels.upperBound {
                        WideTile.single(depth: depth, a: scratch, b: bBlock + j * depth * width, offsets: nil,
                                        c: c + q * ldc + j * width, ldc: ldc, start: .accumulate)
                    }
                    continue
                }
                if PositionRowTile.holdsOnePosition(flat + q) {
                    PositionRowTile.row(depth: depth, image: image, taps: blockTaps, position: flat[q],
                                        b: bBlock + j * depth * width, panelStride: depth * width,
                                        count: channels.upperBound - j, c: c + q * ldc + j * width)
                    continue
                }
                while j + 1 < channels.upperBound {
                    PositionTile.pair(depth: depth, image: image, taps: blockTaps, positions: flat + q,
                                      b0: bBlock + j * depth * width, b1: bBlock + (j + 1) * depth * width,
                                      c: c + q * ldc + j * width, ldc: ldc)
                    j += 2
                }
                if j < channels.upperBound {
                    PositionTile.single(depth: depth, image: image, taps: blockTaps, positions: flat + q,
                                        b: bBlock + j * depth * width, c: c + q * ldc + j * width, ldc: ldc)
                }
            }
        }
    }
}

import AVX2Kernels

/// AVX2Kernels' `PositionGemm.multiply` on AVX-512: the same gathered position panels and packed channel panels,
/// the same sums to the bit, with the channel panels taken two at a time into 6×32 tiles.
public enum PositionGemmAVX512 {
    /// `PositionGemm.multiply`, with the same arguments and results.
    public static func multiply(positionPanels: Range<Int>, channels: Range<Int>, m: Int, k: Int,
                                image: UnsafePointer<Float>, taps: UnsafePointer<Int>, flat: UnsafePointer<Int>,
                                weights: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                                scratch: UnsafeMutablePointer<Float>) {
        let height = WideTile.rows, width = WideTile.columns
        let panels = PositionGemm.channelPanels(m: m)
        for index in 0..<PackedGemm.depthBlockCount(k) {
            let block = PackedGemm.depthBlock(index, of: k)
            let depth = block.count
            let bBlock = weights + block.lowerBound * panels * width
            for panel in positionPanels {
                let q = panel * height
                PositionGemm.gather(rows: block, positions: flat + q, image: image, taps: taps, into: scratch)
                var j = channels.lowerBound
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
            }
        }
    }
}

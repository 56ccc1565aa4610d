import AVX2Kernels
import AVX512Kernels
import Foundation

/// Convs on small planes with the output positions as the rows of the product (`PositionGemm`): the positions
/// in panels of 6, the channels in panels of 16. The input is copied with its padding (`PaddedPlanes`) and read in
/// place by the tiles at any stride; the product goes into a scratch laid out position by position, and is turned
/// into the output's channel planes, and through the epilogue, by the core that computed it.
extension ConvKernels {
    /// Whether a conv that runs shifted runs by positions: a plane of at most 64 outputs (7×7, 8×8), or a window
    /// larger than 1×1 at least 64 deep on a plane of at most 196 (14×14), 256 when strided.
    ///
    /// On small planes the shifted product's flat rows spend up to a quarter of their columns on padding and its
    /// tiles are cut by the plane's edge; a strided conv there also splits its input into phase planes. Per conv
    /// (medians): resnet_small's 3×3 stride-2 conv to 14×14 took 11 µs by positions against 14 shifted, its
    /// 32-channel 3×3 at 14×14 14 against 20, ResNet-50's 256-channel 3×3 convs at 14×14 0.70 ms against 0.90.
    /// Where the window is 1×1 or shallow the product is too small to pay for turning it into channel planes (a
    /// 1×1 stride-2 conv to 14×14: 9 µs against 6), and on 28×28 planes the tiles by positions lost
    /// (resnet_small's 16-channel 3×3 convs: 24 µs against 19).
    static func runsByPositions(_ s: ConvShape) -> Bool {
        let w = s.window
        if s.outPlane <= 64 { return true }
        guard w.kernelH * w.kernelW > 1 && s.groupIn * w.kernelH * w.kernelW >= 64 else { return false }
        return s.outPlane <= (w.strideH > 1 || w.strideW > 1 ? 256 : 196)
    }

    /// One group of one image, split over `threads` cores by panels of channels when there are at least 4 a core
    /// (each core reading one copy of the input), else by panels of positions (each core copying the rows of the
    /// input its positions read, as `shiftedByColumns` does). `weights` are packed by `PositionGemm.pack`; `bias`
    /// has at least `groupOut` values.
    static func positionGroup(_ s: ConvShape, x: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                              bias: UnsafePointer<Float>?, out: GroupOutput, base: UnsafeMutablePointer<Float>,
                              threads: Int) {
        let w = s.window
        let (m, k, plane) = (s.groupOut, s.groupIn * w.kernelH * w.kernelW, s.outPlane)
        let planes = PaddedPlanes(w)
        let height = PackedGemm.panelRows
        let panels = (plane + height - 1) / height, channelPanels = PositionGemm.channelPanels(m: m)
        let ldc = channelPanels * 16
        let byChannels = threads > 1 && channelPanels >= 4 * threads
        let units = byChannels ? channelPanels : panels
        let parts = min(threads, units)
        // The input rows output rows `rows` read are copied, even an unpadded conv's: the copy's rows are no wider
        // than the windows read, and 16 zeros end it.
        let shared = byChannels ? planes.count(channels: s.groupIn, rows: 0..<w.outH) : 0
        // A deep 1×1 conv gathers (`PositionGemm.multiply`): ResNet-50's 1024-channel one to 7×7 took 1.42 ms
        // reading its inputs in place against 1.20 gathering them.
        let gathers = w.kernelH * w.kernelW == 1 && k >= 256
        ScratchPool.current.withBuffer(count: shared + panels * height * ldc) { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: panels * height) { flat in
                planes.fillFlat(flat.baseAddress!, count: flat.count)
                let product = buffer + shared
                if byChannels { planes.copy(x, channels: s.groupIn, rows: 0..<w.outH, into: buffer, parallel: true) }
                ParallelFor.run(parts, cost: .max / parts) { range in
                    for part in range {
                        let mine = (units * part / parts)..<(units * (part + 1) / parts)
                        let (positionPanels, channels) = byChannels ? (0..<panels, mine) : (mine, 0..<channelPanels)
                        startSums(product, rows: (positionPanels.lowerBound * height)..<(positionPanels.upperBound * height),
                                  channels: (channels.lowerBound * 16)..<(channels.upperBound * 16), m: m, ldc: ldc,
                                  bias: bias)
                        let positions = (positionPanels.lowerBound * height)..<min(plane,
                                                                                   positionPanels.upperBound * height)
                        let rows = byChannels ? 0..<w.outH
                            : (positions.lowerBound / w.outW)..<((positions.upperBound - 1) / w.outW + 1)
                        let own = byChannels ? 0 : planes.count(channels: s.groupIn, rows: rows)
                        let gathered = gathers ? PositionGemm.scratchCount(k: k) : 0
                        ScratchPool.current.withBuffer(count: max(own + gathered, 1)) { scratch in
                            withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { taps in
                                let copy = byChannels ? buffer : scratch + gathered
                                if !byChannels { planes.copy(x, channels: s.groupIn, rows: rows, into: copy) }
                                let planeRows = planes.planeRows(rows)
                                planes.fillTaps(taps.baseAddress!, channels: s.groupIn, planeRows: planeRows.count)
                                // Row 0 of the copy is plane row `planeRows.lowerBound`.
                                let image = UnsafePointer(copy) - planeRows.lowerBound * planes.pitch
                                VectorGemm.multiplyPositions(positionPanels: positionPanels, channels: channels,
                                                             m: m, k: k, image: image,
                                                             taps: UnsafePointer(taps.baseAddress!),
                                                             flat: UnsafePointer(flat.baseAddress!), weights: weights,
                                                             c: product, ldc: ldc, gather: gathers ? scratch : nil)
                            }
                        }
                        let chs = (channels.lowerBound * 16)..<min(m, channels.upperBound * 16)
                        toPlanes(product, ldc: ldc, positions: positions, channels: chs, plane: plane, into: out.y)
                        let first = out.channels.lowerBound
                        out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane,
                                           channels: (first + chs.lowerBound)..<(first + chs.upperBound),
                                           columns: positions)
                    }
                }
            }
        }
    }

    /// Sets columns `channels` of rows `rows` of the product to the bias (zero without one, and in the padding
    /// channels past `m`). Each part of the product starts its own block, on its own core.
    private static func startSums(_ c: UnsafeMutablePointer<Float>, rows: Range<Int>, channels: Range<Int>, m: Int,
                                  ldc: Int, bias: UnsafePointer<Float>?) {
        let real = channels.clamped(to: 0..<m)
        for r in rows {
            let row = c + r * ldc
            if let bias {
                (row + real.lowerBound).update(from: bias + real.lowerBound, count: real.count)
            } else {
                (row + real.lowerBound).update(repeating: 0, count: real.count)
            }
            let pad = max(real.upperBound, channels.lowerBound)
            (row + pad).update(repeating: 0, count: channels.upperBound - pad)
        }
    }

    /// Writes positions `positions` of channels `channels` of the position-major product into the channel planes
    /// at `y`.
    private static func toPlanes(_ c: UnsafePointer<Float>, ldc: Int, positions: Range<Int>, channels: Range<Int>,
                                 plane: Int, into y: UnsafeMutablePointer<Float>) {
        if VectorGemm.isWide {
            ChannelPlanesAVX512.write(c, ldc: ldc, positions: positions, channels: channels, plane: plane, into: y)
            return
        }
        for ch in channels {
            let to = y + ch * plane
            var from = c + positions.lowerBound * ldc + ch
            for q in positions {
                to[q] = from.pointee
                from += ldc
            }
        }
    }
}

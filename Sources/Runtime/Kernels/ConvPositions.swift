import AVX2Kernels
import Foundation

/// Convs on small planes with the output positions as the rows of the product (`PositionGemm`): the positions
/// in panels of 6, the channels in panels of 16. The input is phase-copied as for `ConvShifted.swift`; the product
/// goes into a scratch laid out position by position, and is turned into the output's channel planes, and through
/// the epilogue, by the core that computed it.
extension ConvKernels {
    /// Whether a conv that runs shifted runs by positions: a plane of at most 64 outputs (7×7, 8×8). Here the
    /// shifted product's flat rows spend a quarter of their columns on padding and its tiles are cut by the
    /// plane's edge: resnet_small's two 3×3 convs at 7×7 took 13–15 and 4–7 µs less (of 70 and 53), ResNet-50's
    /// three 0.3 ms less each. On 14×14 planes (a sixth of the columns padding) gathering the patches cost more
    /// than it saved: resnet_small's took up to 8 µs more.
    static func runsByPositions(_ s: ConvShape) -> Bool { s.outPlane <= 64 }

    /// One group of one image, split over `threads` cores by panels of channels when there are at least 4 a core
    /// (each core reading one copy of the input), else by panels of positions (each core copying the rows of the
    /// input its positions read, as `shiftedByColumns` does). `weights` are packed by `PositionGemm.pack`; `bias`
    /// has at least `groupOut` values.
    static func positionGroup(_ s: ConvShape, x: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                              bias: UnsafePointer<Float>?, out: GroupOutput, base: UnsafeMutablePointer<Float>,
                              threads: Int) {
        let w = s.window
        let (m, k, plane) = (s.groupOut, s.groupIn * w.kernelH * w.kernelW, s.outPlane)
        let layout = PhaseLayout(w)
        let pitch = layout.pitch
        let height = PackedGemm.panelRows
        let panels = (plane + height - 1) / height, channelPanels = PositionGemm.channelPanels(m: m)
        let ldc = channelPanels * 16
        let byChannels = threads > 1 && channelPanels >= 4 * threads
        let units = byChannels ? channelPanels : panels
        let parts = min(threads, units)
        // The input rows output rows `rows` read, copied (even a stride-1 unpadded conv's input: the gathers read
        // 8 floats past a position) with 16 zeros after them.
        func copyCount(_ rows: Range<Int>) -> Int {
            s.groupIn * layout.phases * (rows.count + layout.reach) * pitch + 16
        }
        let shared = byChannels ? copyCount(0..<w.outH) : 0
        ScratchPool.current.withBuffer(count: shared + panels * height * ldc) { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: panels * height) { flat in
                for q in flat.indices {
                    let (oy, ox) = min(q, plane - 1).quotientAndRemainder(dividingBy: w.outW)
                    flat[q] = oy * pitch + ox
                }
                let product = buffer + shared
                if byChannels { copyRows(x, s, layout, outputRows: 0..<w.outH, into: buffer) }
                startSums(product, rows: panels * height, m: m, ldc: ldc, bias: bias)
                ParallelFor.run(parts, cost: .max / parts) { range in
                    for part in range {
                        let mine = (units * part / parts)..<(units * (part + 1) / parts)
                        let (positionPanels, channels) = byChannels ? (0..<panels, mine) : (mine, 0..<channelPanels)
                        let positions = (positionPanels.lowerBound * height)..<min(plane,
                                                                                   positionPanels.upperBound * height)
                        let rows = byChannels ? 0..<w.outH
                            : (positions.lowerBound / w.outW)..<((positions.upperBound - 1) / w.outW + 1)
                        let own = byChannels ? 0 : copyCount(rows)
                        ScratchPool.current.withBuffer(count: own + PositionGemm.scratchCount(k: k)) { scratch in
                            withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { taps in
                                let copy = byChannels ? buffer : scratch + PositionGemm.scratchCount(k: k)
                                if !byChannels { copyRows(x, s, layout, outputRows: rows, into: copy) }
                                layout.fillTaps(taps.baseAddress!, channels: s.groupIn, w,
                                                planeRows: rows.count + layout.reach)
                                // Row 0 of the copy is plane row `rows.lowerBound`, where output row
                                // `rows.lowerBound` starts.
                                VectorGemm.multiplyPositions(positionPanels: positionPanels, channels: channels,
                                                             m: m, k: k,
                                                             image: UnsafePointer(copy) - rows.lowerBound * pitch,
                                                             taps: UnsafePointer(taps.baseAddress!),
                                                             flat: UnsafePointer(flat.baseAddress!), weights: weights,
                                                             c: product, ldc: ldc, scratch: scratch)
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

    /// Copies the phase-plane rows that output rows `outputRows` read, and 16 zeros after them.
    private static func copyRows(_ x: UnsafePointer<Float>, _ s: ConvShape, _ layout: PhaseLayout,
                                 outputRows: Range<Int>, into copy: UnsafeMutablePointer<Float>) {
        let planeRows = outputRows.lowerBound..<(outputRows.upperBound + layout.reach)
        phaseCopy(x, channels: s.groupIn, s.window, layout, planeRows: planeRows, into: copy, parallel: false)
        (copy + s.groupIn * layout.phases * planeRows.count * layout.pitch).update(repeating: 0, count: 16)
    }

    /// Sets `rows` rows of the product to the bias (zero without one, and in the padding channels).
    private static func startSums(_ c: UnsafeMutablePointer<Float>, rows: Int, m: Int, ldc: Int,
                                  bias: UnsafePointer<Float>?) {
        for r in 0..<rows {
            let row = c + r * ldc
            if let bias { row.update(from: bias, count: m) } else { row.update(repeating: 0, count: m) }
            (row + m).update(repeating: 0, count: ldc - m)
        }
    }

    /// Writes positions `positions` of channels `channels` of the position-major product into the channel planes
    /// at `y`.
    private static func toPlanes(_ c: UnsafePointer<Float>, ldc: Int, positions: Range<Int>, channels: Range<Int>,
                                 plane: Int, into y: UnsafeMutablePointer<Float>) {
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

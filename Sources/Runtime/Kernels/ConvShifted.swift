import AVX2Kernels

/// Stride-1 convolutions without im2col: each tap (channel, dy, dx) of the kernel reads the padded image shifted
/// by its offset, so row `p` of the product's B matrix is the padded image itself starting at `offsets[p]`.
///
/// The product runs over "flat" columns `oy·Wp + ox` of the padded width `Wp`; columns with `ox ≥ outW` are
/// computed and dropped when the tile is copied into the output (`Wp - outW` of every `Wp`).
extension ConvKernels {
    /// Whether a conv can run shifted: stride 1 and no negative padding.
    static func runsShifted(_ w: Window2D) -> Bool {
        w.strideH == 1 && w.strideW == 1 && min(w.padTop, w.padLeft, w.padBottom, w.padRight) >= 0
    }

    /// One group of one image of a stride-1 conv (`runsShifted`), on `threads` cores.
    static func shiftedGroup(_ s: ConvShape, x: UnsafePointer<Float>, a: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>?, out: GroupOutput, base: UnsafeMutablePointer<Float>,
                             threads: Int) {
        let w = s.window
        let (m, k) = (s.groupOut, s.groupIn * w.kernelH * w.kernelW)
        let (paddedH, paddedW) = (w.inH + w.padTop + w.padBottom, w.inW + w.padLeft + w.padRight)
        let padded = w.padTop + w.padLeft + w.padBottom + w.padRight > 0
        ScratchPool.shared.withBuffer(count: padded ? s.groupIn * paddedH * paddedW : 1) { copy in
            if padded { pad(x, channels: s.groupIn, w, into: copy) }
            let image = padded ? UnsafePointer(copy) : x
            withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { offsets in
                var p = 0
                for c in 0..<s.groupIn {
                    for dy in 0..<w.kernelH {
                        for dx in 0..<w.kernelW {
                            offsets[p] = (c * paddedH + dy * w.dilationH) * paddedW + dx * w.dilationW
                            p += 1
                        }
                    }
                }
                let taps = UnsafePointer(offsets.baseAddress!)
                let panels = PackedGemm.panels(m: m)
                if threads > 1 && s.outPlane < threads * 128 && panels >= threads * 2 {
                    shiftedByRows(s, m: m, k: k, image: image, paddedW: paddedW, taps: taps, a: a, bias: bias,
                                  out: out, base: base, threads: threads)
                } else {
                    shiftedByColumns(s, m: m, k: k, image: image, paddedW: paddedW, taps: taps, a: a, bias: bias,
                                     out: out, base: base, threads: threads)
                }
            }
        }
    }

    /// Output rows in tiles of about `flatColumns` flat columns, the tiles spread over the cores.
    private static func shiftedByColumns(_ s: ConvShape, m: Int, k: Int, image: UnsafePointer<Float>, paddedW: Int,
                                         taps: UnsafePointer<Int>, a: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                         out: GroupOutput, base: UnsafeMutablePointer<Float>, threads: Int) {
        let w = s.window
        // The tile's product (m rows) stays in the L2 cache until it is copied out.
        let flatColumns = max(paddedW, min(2048, (256 << 10) / (4 * max(m, 1))))
        var tiles = max(1, (w.outH * paddedW + flatColumns - 1) / flatColumns)
        tiles = min(w.outH, (tiles + threads - 1) / threads * threads)
        let rowsPerTile = (w.outH + tiles - 1) / tiles
        tiles = (w.outH + rowsPerTile - 1) / rowsPerTile
        let parts = min(threads, tiles)
        let tileFloats = m * rowsPerTile * paddedW
        ParallelFor.run(parts, cost: .max / parts) { range in
            ScratchPool.shared.withBuffer(count: tileFloats + PackedGemm.scratchCount(k: k)) { buffer in
                for part in range {
                    for tile in (tiles * part / parts)..<(tiles * (part + 1) / parts) {
                        let rows = (tile * rowsPerTile)..<min(w.outH, (tile + 1) * rowsPerTile)
                        let n = (rows.count - 1) * paddedW + w.outW
                        PackedGemm.multiply(m: m, n: n, k: k, packedA: a, panels: 0..<PackedGemm.panels(m: m),
                                            b: image + rows.lowerBound * paddedW, ldb: 0, rowOffsets: taps, c: buffer,
                                            ldc: n, rowStart: bias, accumulate: false, scratch: buffer + tileFloats)
                        copyOut(buffer, ldc: n, channels: 0..<m, rows: rows, paddedW: paddedW, s: s, out: out, base: base)
                    }
                }
            }
        }
    }

    /// A small plane: the whole product at once, its row panels spread over the cores.
    private static func shiftedByRows(_ s: ConvShape, m: Int, k: Int, image: UnsafePointer<Float>, paddedW: Int,
                                      taps: UnsafePointer<Int>, a: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                      out: GroupOutput, base: UnsafeMutablePointer<Float>, threads: Int) {
        let w = s.window
        let n = (w.outH - 1) * paddedW + w.outW
        let panels = PackedGemm.panels(m: m)
        ScratchPool.shared.withBuffer(count: m * n) { product in
            ParallelFor.run(threads, cost: .max / threads) { range in
                ScratchPool.shared.withBuffer(count: PackedGemm.scratchCount(k: k)) { scratch in
                    for part in range {
                        let rowPanels = (panels * part / threads)..<(panels * (part + 1) / threads)
                        PackedGemm.multiply(m: m, n: n, k: k, packedA: a, panels: rowPanels, b: image, ldb: 0,
                                            rowOffsets: taps, c: product, ldc: n, rowStart: bias, accumulate: false,
                                            scratch: scratch)
                        let channels = (rowPanels.lowerBound * PackedGemm.panelRows)..<min(m, rowPanels.upperBound * PackedGemm.panelRows)
                        copyOut(product, ldc: n, channels: channels, rows: 0..<w.outH, paddedW: paddedW, s: s, out: out,
                                base: base)
                    }
                }
            }
        }
    }

    /// Copies output rows `rows` of channels `channels` (group-relative) from a flat product into the output, and
    /// runs the epilogue on them.
    private static func copyOut(_ product: UnsafePointer<Float>, ldc: Int, channels: Range<Int>, rows: Range<Int>,
                                paddedW: Int, s: ConvShape, out: GroupOutput, base: UnsafeMutablePointer<Float>) {
        let (outW, plane) = (s.window.outW, s.outPlane)
        for ch in channels {
            let from = product + ch * ldc, to = out.y + ch * plane + rows.lowerBound * outW
            for r in 0..<rows.count { copyRow(from + r * paddedW, to + r * outW, count: outW) }
        }
        let first = out.channels.lowerBound
        out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane,
                           channels: (first + channels.lowerBound)..<(first + channels.upperBound),
                           columns: (rows.lowerBound * outW)..<(rows.upperBound * outW))
    }

    /// Copies `count` floats eight at a time (rows are short: a call to memmove per row cost more than the copy).
    @inline(__always)
    private static func copyRow(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 8 <= count {
            UnsafeMutableRawPointer(to + i).storeBytes(of: UnsafeRawPointer(from + i).loadUnaligned(as: SIMD8<Float>.self),
                                                       as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < count {
            to[i] = from[i]
            i &+= 1
        }
    }

    /// Copies `channels` planes of `x` into `into` with the window's zero padding around each.
    static func pad(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D, into: UnsafeMutablePointer<Float>) {
        let (paddedH, paddedW) = (w.inH + w.padTop + w.padBottom, w.inW + w.padLeft + w.padRight)
        ParallelFor.run(channels, cost: paddedH * paddedW) { range in
            for c in range {
                let plane = into + c * paddedH * paddedW
                plane.update(repeating: 0, count: w.padTop * paddedW)
                for row in 0..<w.inH {
                    let line = plane + (w.padTop + row) * paddedW
                    line.update(repeating: 0, count: w.padLeft)
                    (line + w.padLeft).update(from: x + (c * w.inH + row) * w.inW, count: w.inW)
                    (line + w.padLeft + w.inW).update(repeating: 0, count: w.padRight)
                }
                (plane + (w.padTop + w.inH) * paddedW).update(repeating: 0, count: w.padBottom * paddedW)
            }
        }
    }
}

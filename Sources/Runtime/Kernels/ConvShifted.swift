import AVX2Kernels

/// Convolutions without im2col. The input is copied once into zero-padded "phase planes" (for stride 1 just the
/// padded image; for stride `s`, the input split by row and column remainder mod `s`, so that every tap of a
/// strided window reads one phase plane at stride 1). Each tap (channel, ky, kx) then reads its phase plane shifted
/// by one offset: row `p` of the product's B matrix is the copy itself starting at `offsets[p]`.
///
/// The product runs over "flat" columns `oy·Wq + ox` of the plane width `Wq`; columns with `ox ≥ outW` are
/// computed and dropped when the tile is copied into the output (`Wq - outW` of every `Wq`: the padding for
/// stride 1, about half the kernel width for stride 2).
extension ConvKernels {
    /// Whether a conv can run shifted: no negative padding.
    static func runsShifted(_ w: Window2D) -> Bool {
        min(w.padTop, w.padLeft, w.padBottom, w.padRight) >= 0 && w.strideH >= 1 && w.strideW >= 1
    }

    /// One axis of the phase planes: a tap at kernel position `t` reads input `stride·o + t·dilation - pad` for
    /// output `o`, which is phase `(t·dilation - pad) mod stride` at plane position `o + shift + ⌊(t·dilation -
    /// pad) / stride⌋`.
    struct PhaseAxis {
        let stride: Int, dilation: Int, pad: Int
        /// Added to every tap's plane offset (the most negative one becomes 0).
        let shift: Int
        /// Plane length along the axis.
        let size: Int

        init(output: Int, stride: Int, pad: Int, kernel: Int, dilation: Int) {
            (self.stride, self.dilation, self.pad) = (stride, dilation, pad)
            let lowest = Im2Col.floorDiv(-pad, stride), highest = Im2Col.floorDiv((kernel - 1) * dilation - pad, stride)
            shift = -lowest
            size = output + highest - lowest
        }

        /// The phase and plane offset of kernel position `t`.
        func tap(_ t: Int) -> (phase: Int, offset: Int) {
            let r = t * dilation - pad
            let a = Im2Col.floorDiv(r, stride)
            return (r - a * stride, a + shift)
        }

        /// The phases the taps of a `kernel`-long window read, in order: only these get planes (at most one per
        /// tap, however large the stride).
        func usedPhases(kernel: Int) -> [Int] {
            if stride == 1 { return [0] }
            var phases = (0..<kernel).map { tap($0).phase }
            phases.sort()
            var unique: [Int] = []
            for phase in phases where unique.last != phase { unique.append(phase) }
            return unique
        }

        /// Plane positions of phase `phase` that hold an input value (the rest are zero): input
        /// `stride·(u - shift) + phase` for position `u`.
        func inside(phase: Int, input: Int) -> Range<Int> {
            let upper = min(size, shift + Im2Col.ceilDiv(input - phase, stride))
            return min(shift, upper)..<upper
        }
    }

    /// The phase planes of one conv (`PhaseAxis` along each axis): which phases get planes, and where each tap
    /// of the product's B matrix starts in them.
    struct PhaseLayout {
        let rows: PhaseAxis, columns: PhaseAxis
        let rowPhases: [Int], columnPhases: [Int]
        /// Plane rows a tap reads below its output row, at most: output rows `o0..<o1` read plane rows
        /// `o0..<o1 + reach`.
        let reach: Int

        init(_ w: Window2D) {
            rows = PhaseAxis(output: w.outH, stride: w.strideH, pad: w.padTop, kernel: w.kernelH, dilation: w.dilationH)
            columns = PhaseAxis(output: w.outW, stride: w.strideW, pad: w.padLeft, kernel: w.kernelW, dilation: w.dilationW)
            rowPhases = rows.usedPhases(kernel: w.kernelH)
            columnPhases = columns.usedPhases(kernel: w.kernelW)
            reach = rows.size - w.outH
        }

        /// Flat width of a plane (and of the product's columns).
        var pitch: Int { columns.size }

        /// Whether the one plane of a stride-1 conv without padding is its input itself, read in place.
        func readsInput(_ w: Window2D) -> Bool {
            w.strideH == 1 && w.strideW == 1 && rows.size == w.inH && pitch == w.inW
        }
        var phases: Int { rowPhases.count * columnPhases.count }

        /// Fills `offsets` (one per tap: channel, ky, kx) for planes of `planeRows` rows each.
        func fillTaps(_ offsets: UnsafeMutablePointer<Int>, channels: Int, _ w: Window2D, planeRows: Int) {
            let plane = planeRows * pitch
            // The offset of each kernel position within a channel's planes, then the channels in whole strides.
            let taps = w.kernelH * w.kernelW
            for ky in 0..<w.kernelH {
                let (phaseY, dy) = rows.tap(ky)
                let rowSlot = rowPhases.firstIndex(of: phaseY)!
                for kx in 0..<w.kernelW {
                    let (phaseX, dx) = columns.tap(kx)
                    let slot = rowSlot * columnPhases.count + columnPhases.firstIndex(of: phaseX)!
                    offsets[ky * w.kernelW + kx] = slot * plane + dy * pitch + dx
                }
            }
            let channelStride = phases * plane
            for c in 1..<max(channels, 1) {
                for t in 0..<taps { offsets[c * taps + t] = offsets[t] + c * channelStride }
            }
        }
    }

    /// One group of one image of a conv that `runsShifted`, on `threads` cores.
    static func shiftedGroup(_ s: ConvShape, x: UnsafePointer<Float>, a: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>?, out: GroupOutput, base: UnsafeMutablePointer<Float>,
                             threads: Int) {
        if runsShallow(s, threads: threads) {
            shallowGroup(s, x: x, a: a, bias: bias, out: out, base: base)
            return
        }
        let w = s.window
        let (m, k) = (s.groupOut, s.groupIn * w.kernelH * w.kernelW)
        let layout = PhaseLayout(w)
        let direct = layout.readsInput(w)
        guard direct || splitsByRows(plane: s.outPlane, m: m, threads: threads) else {
            shiftedByColumns(s, m: m, k: k, x: x, layout: layout, a: a, bias: bias, out: out, base: base,
                             threads: threads)
            return
        }
        let planeRows = layout.rows.size
        // 8 more floats: the 8-wide loads of `columnRuns` read up to 7 past the last plane's last column.
        let copyCount = direct ? 1 : s.groupIn * layout.phases * planeRows * layout.pitch + 8
        ScratchPool.current.withBuffer(count: copyCount) { copy in
            if !direct {
                phaseCopy(x, channels: s.groupIn, w, layout, planeRows: 0..<planeRows, into: copy, parallel: true)
            }
            let image = direct ? x : UnsafePointer(copy)
            withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { offsets in
                layout.fillTaps(offsets.baseAddress!, channels: s.groupIn, w, planeRows: planeRows)
                let taps = UnsafePointer(offsets.baseAddress!)
                if splitsByRows(plane: s.outPlane, m: m, threads: threads) {
                    shiftedByRows(s, m: m, k: k, image: image, pitch: layout.pitch, taps: taps, a: a, bias: bias,
                                  out: out, base: base, threads: threads, dense: !direct)
                } else {
                    shiftedByColumns(s, m: m, k: k, x: x, layout: nil, image: image, taps: taps, a: a, bias: bias,
                                     out: out, base: base, threads: threads)
                }
            }
        }
    }

    /// Bytes of input rows a stride-1 tile reads from the L1 cache at most, where that leaves it 128 columns or
    /// more (see `shiftedByColumns`).
    static let tileInputBytes = 20 << 10

    /// Output rows in tiles of about `flatColumns` flat columns, the tiles spread over the cores in one band of
    /// rows per core. With `layout`, each core copies the phase-plane rows its band reads into a buffer of its
    /// own, so the copy runs on every core and each core packs B from its own cache; without, `image` and
    /// `taps` describe the planes (a stride-1 unpadded conv reading its input).
    private static func shiftedByColumns(_ s: ConvShape, m: Int, k: Int, x: UnsafePointer<Float>, layout: PhaseLayout?,
                                         image: UnsafePointer<Float>? = nil, taps: UnsafePointer<Int>? = nil,
                                         a: UnsafePointer<Float>, bias: UnsafePointer<Float>?, out: GroupOutput,
                                         base: UnsafeMutablePointer<Float>, threads: Int) {
        let w = s.window
        let pitch = layout?.pitch ?? w.inW
        // The tile's product (m rows) stays in the L2 cache until it is copied out.
        var flatColumns = max(pitch, min(2048, (256 << 10) / (4 * max(m, 1))))
        // A stride-1 tile whose input rows fit in a part of the L1 cache gets no more rows than fit, if that leaves
        // it a useful width: resnet_small's 16-channel 3x3 convs at 28x28 took a tenth less in tiles of 7 rows
        // than of 14. Its stride-2 conv (four phase planes a row) took 4 µs more (of 58) in smaller tiles, and its
        // 14x14 convs 5-9 µs more in tiles under 128 columns.
        let rowFloats = layout.map { s.groupIn * $0.phases * pitch } ?? s.groupIn * w.inW
        let fitting = (Self.tileInputBytes / (4 * max(rowFloats, 1)) - (layout?.reach ?? 0)) * pitch
        if (layout?.phases ?? 1) == 1 && fitting >= 128 { flatColumns = max(pitch, min(flatColumns, fitting)) }
        var tiles = max(1, (w.outH * pitch + flatColumns - 1) / flatColumns)
        tiles = min(w.outH, (tiles + threads - 1) / threads * threads)
        let rowsPerTile = (w.outH + tiles - 1) / tiles
        tiles = (w.outH + rowsPerTile - 1) / rowsPerTile
        let parts = min(threads, tiles)
        let tileFloats = m * rowsPerTile * pitch
        ParallelFor.run(parts, cost: .max / parts) { range in
            for part in range {
                let partTiles = (tiles * part / parts)..<(tiles * (part + 1) / parts)
                let band = (partTiles.lowerBound * rowsPerTile)..<min(w.outH, partTiles.upperBound * rowsPerTile)
                guard !band.isEmpty else { continue }
                let planeRows = band.lowerBound..<(band.upperBound + (layout?.reach ?? 0))
                let bandFloats = layout.map { s.groupIn * $0.phases * planeRows.count * pitch } ?? 0
                let bufferCount = tileFloats + VectorGemm.scratchCount(k: k) + bandFloats
                ScratchPool.current.withBuffer(count: bufferCount) { buffer in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: layout == nil ? 0 : k) { offsets in
                        let scratch = buffer + tileFloats, bandCopy = scratch + VectorGemm.scratchCount(k: k)
                        var bandImage = image ?? x, bandTaps = taps
                        if let layout {
                            phaseCopy(x, channels: s.groupIn, w, layout, planeRows: planeRows, into: bandCopy, parallel: false)
                            layout.fillTaps(offsets.baseAddress!, channels: s.groupIn, w, planeRows: planeRows.count)
                            // Band row 0 is plane row `band.lowerBound`, where output row `band.lowerBound` starts.
                            bandImage = UnsafePointer(bandCopy) - band.lowerBound * pitch
                            bandTaps = UnsafePointer(offsets.baseAddress!)
                        }
                        for tile in partTiles {
                            let rows = (tile * rowsPerTile)..<min(w.outH, (tile + 1) * rowsPerTile)
                            let n = (rows.count - 1) * pitch + w.outW
                            VectorGemm.multiply(m: m, n: n, k: k, packedA: a, panels: 0..<PackedGemm.panels(m: m),
                                                b: bandImage + rows.lowerBound * pitch, ldb: 0, rowOffsets: bandTaps,
                                                c: buffer, ldc: n, rowStart: bias, accumulate: false, scratch: scratch)
                            copyOut(buffer, ldc: n, channels: 0..<m, rows: rows, pitch: pitch, s: s, out: out, base: base)
                        }
                    }
                }
            }
        }
    }

    /// A small plane: the whole product at once, its row panels spread over the cores. With `dense` (B readable
    /// 7 floats past its end), B's columns are gathered to the outputs themselves (`denseColumnRuns`) and the
    /// product is the output; otherwise it runs over flat columns, `pitch - outW` of every `pitch` dropped (a
    /// quarter of a 7×7 plane's).
    private static func shiftedByRows(_ s: ConvShape, m: Int, k: Int, image: UnsafePointer<Float>, pitch: Int,
                                      taps: UnsafePointer<Int>, a: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                      out: GroupOutput, base: UnsafeMutablePointer<Float>, threads: Int, dense: Bool) {
        let w = s.window
        if dense {
            let plane = s.outPlane
            denseColumnRuns(outH: w.outH, outW: w.outW, pitch: pitch).withUnsafeBufferPointer { runs in
                forEachRowPanelRun(m: m, k: k, threads: threads) { rowPanels, channels, scratch in
                    VectorGemm.multiply(m: m, n: plane, k: k, packedA: a, panels: rowPanels, b: image, ldb: 0,
                                        rowOffsets: taps, columnRuns: runs.baseAddress!, c: out.y, ldc: plane,
                                        rowStart: bias, accumulate: false, scratch: scratch)
                    let first = out.channels.lowerBound
                    out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane,
                                       channels: (first + channels.lowerBound)..<(first + channels.upperBound),
                                       columns: 0..<plane)
                }
            }
            return
        }
        let n = (w.outH - 1) * pitch + w.outW
        ScratchPool.current.withBuffer(count: m * n) { product in
            forEachRowPanelRun(m: m, k: k, threads: threads) { rowPanels, channels, scratch in
                VectorGemm.multiply(m: m, n: n, k: k, packedA: a, panels: rowPanels, b: image, ldb: 0, rowOffsets: taps,
                                    c: product, ldc: n, rowStart: bias, accumulate: false, scratch: scratch)
                copyOut(product, ldc: n, channels: channels, rows: 0..<w.outH, pitch: pitch, s: s, out: out, base: base)
            }
        }
    }

    /// The `columnRuns` of `PackedGemm.multiply` for a product over exactly the `outH × outW` outputs of a plane
    /// whose taps read flat rows of `pitch` (output `q` at flat column `(q / outW) · pitch + q % outW`): each
    /// 16-output panel cut at the ends of output rows and into runs of at most 8.
    static func denseColumnRuns(outH: Int, outW: Int, pitch: Int) -> [Int] {
        let n = outH * outW, width = 16
        var first: [Int] = [], source: [Int] = [], target: [Int] = []
        for panel in 0..<((n + width - 1) / width) {
            first.append(source.count)
            var q = panel * width
            let end = min(n, q + width)
            while q < end {
                let (oy, ox) = q.quotientAndRemainder(dividingBy: outW)
                source.append(oy * pitch + ox)
                target.append(q - panel * width)
                q += min(8, outW - ox, end - q)
            }
        }
        first.append(source.count)
        return first + source + target
    }

    /// Copies output rows `rows` of channels `channels` (group-relative) from a flat product into the output, and
    /// runs the epilogue on them.
    private static func copyOut(_ product: UnsafePointer<Float>, ldc: Int, channels: Range<Int>, rows: Range<Int>,
                                pitch: Int, s: ConvShape, out: GroupOutput, base: UnsafeMutablePointer<Float>) {
        let (outW, plane) = (s.window.outW, s.outPlane)
        let first = out.channels.lowerBound
        // The epilogue runs on each channel's rows right after they are copied, while they are in the L1 cache:
        // after all of them it read MobileNetV2's stem output (1.6 MB) back from farther away.
        for ch in channels {
            var from = product + ch * ldc, to = out.y + ch * plane + rows.lowerBound * outW
            var n = rows.count
            while n > 0 {
                ShortRows.copy(from, to, count: outW)
                from += pitch
                to += outW
                n &-= 1
            }
            out.epilogue.apply(base, channel: first + ch,
                               offset: out.imageOffset + (first + ch) * plane + rows.lowerBound * outW,
                               count: rows.count * outW)
        }
    }

    /// Fills rows `planeRows` of the phase planes of `channels` planes of `x` (`PhaseLayout`): for each channel,
    /// one plane of `planeRows.count × pitch` per pair of row and column phases, in that order; rows outside the
    /// input are zero. With `parallel`, split over the cores by channel and row phase (a stem conv has three
    /// channels).
    static func phaseCopy(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D, _ layout: PhaseLayout,
                          planeRows: Range<Int>, into: UnsafeMutablePointer<Float>, parallel: Bool) {
        let (rows, columns, rowPhases, columnPhases) = (layout.rows, layout.columns, layout.rowPhases, layout.columnPhases)
        let pitch = columns.size, plane = planeRows.count * pitch
        let end = x + channels * w.inH * w.inW
        func copy(_ units: Range<Int>) {
            for unit in units {
                let (c, rowSlot) = unit.quotientAndRemainder(dividingBy: rowPhases.count)
                let phaseY = rowPhases[rowSlot]
                let inside = rows.inside(phase: phaseY, input: w.inH)
                let first = min(max(inside.lowerBound, planeRows.lowerBound), planeRows.upperBound)
                let inRows = first..<max(first, min(inside.upperBound, planeRows.upperBound))
                let (above, below) = (inRows.lowerBound - planeRows.lowerBound, planeRows.upperBound - inRows.upperBound)
                for (columnSlot, phaseX) in columnPhases.enumerated() {
                    let target = into + ((c * rowPhases.count + rowSlot) * columnPhases.count + columnSlot) * plane
                    let inColumns = columns.inside(phase: phaseX, input: w.inW)
                    let (left, width, right) = (inColumns.lowerBound, inColumns.count, pitch - inColumns.upperBound)
                    ShortRows.zero(target, count: above * pitch)
                    // Small planes have many short rows: the row loop only steps two pointers.
                    var line = target + above * pitch
                    guard !inRows.isEmpty else {
                        ShortRows.zero(line, count: below * pitch)
                        continue
                    }
                    var source = x + (c * w.inH + w.strideH * (inRows.lowerBound - rows.shift) + phaseY) * w.inW
                        + w.strideW * (left - columns.shift) + phaseX
                    let sourceStep = w.strideH * w.inW
                    var n = inRows.count
                    while n > 0 {
                        ShortRows.zero(line, count: left)
                        copyStrided(source, stride: w.strideW, to: line + left, count: width, readable: end - source)
                        ShortRows.zero(line + (left &+ width), count: right)
                        line += pitch
                        source += sourceStep
                        n &-= 1
                    }
                    ShortRows.zero(line, count: below * pitch)
                }
            }
        }
        let units = channels * rowPhases.count
        if parallel {
            ParallelFor.run(units, cost: plane * columnPhases.count, copy)
        } else {
            copy(0..<units)
        }
    }

    /// `to[i] = from[i · stride]` for `i < count`, where `readable` floats from `from` may be read. Stride 2 runs
    /// sixteen and then eight at a time, as the even half of a load twice as wide (which reads one float past the
    /// last one it uses: allowed inside `readable`), and ends a row of eight or more with its last eight; a row of
    /// four to seven goes four at a time the same way. Rows are short: `ShortRows`, not a call to memmove per row.
    @inline(__always)
    static func copyStrided(_ from: UnsafePointer<Float>, stride: Int, to: UnsafeMutablePointer<Float>, count: Int,
                            readable: Int) {
        if stride == 1 {
            ShortRows.copy(from, to, count: count)
            return
        }
        var i = 0
        if stride == 2 {
            while i &+ 16 <= count && 2 &* i &+ 32 <= readable {
                let v = UnsafeRawPointer(from + 2 &* i).loadUnaligned(as: SIMD32<Float>.self).evenHalf
                UnsafeMutableRawPointer(to + i).storeBytes(of: v, as: SIMD16<Float>.self)
                i &+= 16
            }
            while i &+ 8 <= count && 2 &* i &+ 16 <= readable {
                let v = UnsafeRawPointer(from + 2 &* i).loadUnaligned(as: SIMD16<Float>.self).evenHalf
                UnsafeMutableRawPointer(to + i).storeBytes(of: v, as: SIMD8<Float>.self)
                i &+= 8
            }
            // A short rest: the last eight again, overlapping the ones before (the same values).
            if i < count && count >= 8 && 2 &* count <= readable {
                let last = count &- 8
                let v = UnsafeRawPointer(from + 2 &* last).loadUnaligned(as: SIMD16<Float>.self).evenHalf
                UnsafeMutableRawPointer(to + last).storeBytes(of: v, as: SIMD8<Float>.self)
                i = count
            }
            // A row of four to seven (a 7×7 plane's): its first four and its last four, overlapping.
            if i == 0 && count >= 4 && 2 &* count <= readable {
                let first = UnsafeRawPointer(from).loadUnaligned(as: SIMD8<Float>.self).evenHalf
                let last = UnsafeRawPointer(from + 2 &* (count &- 4)).loadUnaligned(as: SIMD8<Float>.self).evenHalf
                UnsafeMutableRawPointer(to).storeBytes(of: first, as: SIMD4<Float>.self)
                UnsafeMutableRawPointer(to + (count &- 4)).storeBytes(of: last, as: SIMD4<Float>.self)
                i = count
            }
        }
        while i < count {
            to[i] = from[i &* stride]
            i &+= 1
        }
    }
}

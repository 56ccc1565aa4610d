import AVX512Kernels

/// The input of a conv on the positions path (`ConvPositions.swift`): each channel's rows copied with the zero
/// padding around them, at any stride. Output position `(oy, ox)` reads its window from the flat position
/// `rows.step·oy·pitch + columns.step·ox` of the copy and tap `(c, ky, kx)` adds `c·plane + ky·dilationH·pitch +
/// kx·dilationW`, so a strided window reads the copy in place: no phase planes (`ConvShifted.swift`), whose
/// de-interleaving copy took a third of resnet_small's stride-2 convs. Along an axis where the window is one wide
/// (a 1×1 stride-2 conv), the copy keeps only the inputs the outputs read.
struct PaddedPlanes {
    /// One axis of the copy.
    struct Axis {
        let stride: Int, span: Int, pad: Int

        /// Whether the copy keeps only every `stride`th input (a window one wide skips the others).
        var subsampled: Bool { span == 1 }
        /// Plane positions from one output to the next.
        var step: Int { subsampled ? 1 : stride }
        /// Plane positions that outputs `outputs` read.
        func planeRange(_ outputs: Range<Int>) -> Range<Int> {
            (step * outputs.lowerBound)..<(step * (outputs.upperBound - 1) + span)
        }
        /// The input index plane position `u` holds (outside the input: padding).
        func source(_ u: Int) -> Int { (subsampled ? u * stride : u) - pad }
    }

    let window: Window2D
    let rows: Axis, columns: Axis
    /// Floats per copied row: the padded columns the windows read.
    let pitch: Int

    init(_ w: Window2D) {
        window = w
        rows = Axis(stride: w.strideH, span: w.spanH, pad: w.padTop)
        columns = Axis(stride: w.strideW, span: w.spanW, pad: w.padLeft)
        pitch = columns.planeRange(0..<w.outW).count
    }

    /// Plane rows that output rows `outputRows` read.
    func planeRows(_ outputRows: Range<Int>) -> Range<Int> { rows.planeRange(outputRows) }

    /// Floats of a copy of `planeRows(outputRows)` of `channels` channels, and 16 zeros after it.
    func count(channels: Int, rows outputRows: Range<Int>) -> Int {
        channels * planeRows(outputRows).count * pitch + 16
    }

    /// The flat position of output `q` (row-major over the output plane) in a copy whose row 0 is plane row 0.
    func flat(_ q: Int) -> Int {
        let (oy, ox) = q.quotientAndRemainder(dividingBy: window.outW)
        return rows.step * oy * pitch + columns.step * ox
    }

    /// Fills `flat[q]` with `flat(min(q, outputs - 1))` for `q` in `0..<count`, row by row (no division a position).
    func fillFlat(_ flat: UnsafeMutablePointer<Int>, count: Int) {
        let outputs = window.outH * window.outW
        var q = 0
        for oy in 0..<window.outH {
            let row = rows.step * oy * pitch
            for ox in 0..<window.outW where q < count {
                flat[q] = row + columns.step * ox
                q += 1
            }
        }
        let last = self.flat(outputs - 1)
        while q < count {
            flat[q] = last
            q += 1
        }
    }

    /// Fills `offsets` (one per tap: channel, ky, kx) for a copy of `planeRows` rows a channel.
    func fillTaps(_ offsets: UnsafeMutablePointer<Int>, channels: Int, planeRows: Int) {
        let w = window
        var t = 0
        for c in 0..<channels {
            for ky in 0..<w.kernelH {
                let row = c * planeRows * pitch + ky * w.dilationH * pitch
                for kx in 0..<w.kernelW {
                    offsets[t] = row + kx * w.dilationW
                    t += 1
                }
            }
        }
    }

    /// Copies plane rows `planeRows(outputRows)` of `channels` planes of `x` (padding zero), and 16 zeros after
    /// them; split over the cores by channel when `parallel` and large.
    func copy(_ x: UnsafePointer<Float>, channels: Int, rows outputRows: Range<Int>, into: UnsafeMutablePointer<Float>,
              parallel: Bool = false) {
        let planeRows = planeRows(outputRows)
        let planeFloats = planeRows.count * pitch
        let readable = x..<(x + channels * window.inH * window.inW)
        if parallel {
            ParallelFor.run(channels, cost: planeFloats) { range in
                copy(x, channels: range, planeRows: planeRows, into: into, readable: readable,
                     last: range.upperBound == channels)
            }
        } else {
            copy(x, channels: 0..<channels, planeRows: planeRows, into: into, readable: readable, last: true)
        }
        (into + channels * planeFloats).update(repeating: 0, count: 16)
    }

    /// Copies plane rows `planeRows` of the planes `channels` of `x`, each channel's to its place in `into`.
    /// `readable` is the memory of all of `x`'s planes; `last` tells whether the copy's floats after these
    /// channels' are free until the caller writes them (the last channels), which the AVX-512 rows may spill into.
    private func copy(_ x: UnsafePointer<Float>, channels: Range<Int>, planeRows: Range<Int>,
                      into: UnsafeMutablePointer<Float>, readable: Range<UnsafePointer<Float>>, last: Bool) {
        let w = window
        // Unsubsampled columns: zeros, a run of the input row, zeros.
        let left = min(max(w.padLeft, 0), pitch)
        let width = max(0, min(w.inW, pitch - left))
        let right = pitch - left - width
        var line = into + channels.lowerBound * planeRows.count * pitch
        if VectorGemm.isWide && !columns.subsampled {
            PaddedRowsAVX512.copyPlanes(x, channels: channels, inH: w.inH, inW: w.inW, planeRows: planeRows,
                                        rowStep: rows.subsampled ? rows.stride : 1, padTop: rows.pad, left: left,
                                        width: width, pitch: pitch, into: line, readable: readable, spills: last)
            return
        }
        for c in channels {
            let plane = x + c * w.inH * w.inW
            for u in planeRows {
                let iy = rows.source(u)
                if iy < 0 || iy >= w.inH {
                    ShortRows.zero(line, count: pitch)
                } else if columns.subsampled {
                    let source = plane + iy * w.inW
                    for v in 0..<pitch {
                        let ix = columns.source(v)
                        line[v] = ix >= 0 && ix < w.inW ? source[ix] : 0
                    }
                } else {
                    ShortRows.zero(line, count: left)
                    ShortRows.copy(plane + iy * w.inW, line + left, count: width)
                    ShortRows.zero(line + (left &+ width), count: right)
                }
                line += pitch
            }
        }
    }
}

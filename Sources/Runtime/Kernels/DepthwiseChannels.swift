import AVX512Kernels

/// Depthwise convs (one input and one output channel per group) on CPUs with AVX-512, with sixteen channels as the
/// vector lanes (`DepthwiseChannelsAVX512`). A task computes 16 channels over a band of output rows: it copies the
/// band's input rows, zero-padded and interleaved, into a scratch buffer small enough to stay in the L2 cache,
/// computes the band position by position, and writes it back to the planes, where the epilogue runs on it.
/// Every output, the border ones too, is the window's full sum over the zero-padded input.
extension Depthwise {
    /// How the output rows of a plane are cut into bands, and the padded buffer a band reads.
    struct ChannelBands {
        /// Positions per padded row: the left padding, the input row, and what the windows read past it.
        let pitch: Int
        /// Output rows per band (the last band may have fewer).
        let outRows: Int
        let count: Int
        /// Padded rows a full band reads.
        let paddedRows: Int

        /// Floats of padded input a band aims to fit in.
        static let bandFloats = 24_576
        /// A window whose single output row would need more than this many floats of padded input stays on the
        /// plane-by-plane loops.
        static let maximumFloats = 1 << 20

        init?(_ w: Window2D) {
            guard min(w.padTop, w.padLeft, w.padBottom, w.padRight) >= 0, w.outH > 0, w.outW > 0 else { return nil }
            pitch = max(w.padLeft + w.inW, (w.outW - 1) * w.strideW + w.spanW)
            let rowFloats = 16 * pitch
            guard w.spanH <= Self.maximumFloats / rowFloats else { return nil }
            let fitting = (Self.bandFloats / rowFloats - w.spanH) / w.strideH + 1
            outRows = min(w.outH, max(1, fitting))
            count = (w.outH + outRows - 1) / outRows
            paddedRows = (outRows - 1) * w.strideH + w.spanH
        }
    }

    /// Whether `byChannels` computes this conv's first `16 · (outChannels / 16)` channels: on narrow planes, where
    /// the plane-by-plane loops run short rows (MobileNetV2's 7×7 convs and its stride-2 convs to 14×14 and 7×7
    /// took 33 against 59 µs, 31 against 45, and 34 against 40). On wider planes the two copies through the
    /// interleaved buffer cost what the vectors save.
    static func runsByChannels(_ s: ConvKernels.ConvShape) -> Bool {
        let w = s.window
        let narrow = w.outW <= 7 || (w.outW <= 14 && w.strideW >= 2)
        return VectorGemm.isWide && narrow && s.groupOut == 1 && s.outChannels >= 16 && ChannelBands(w) != nil
    }

    /// Computes the first `16 · (outChannels / 16)` output channels of every image, and their epilogue.
    static func byChannels(_ s: ConvKernels.ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                           bias: [Float]?, y: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue,
                           inputClip: ClipBounds?) {
        guard let bands = ChannelBands(s.window) else { return }
        let w = s.window
        let taps = w.kernelH * w.kernelW
        let groups = s.outChannels / 16
        let clip = inputClip.map { (low: $0.low, high: $0.high) }
        let paddedFloats = 16 * bands.pitch * bands.paddedRows
        let outFloats = 16 * bands.outRows * w.outW
        ParallelFor.run(s.batch * groups * bands.count,
                        cost: 16 * bands.outRows * w.outW * (taps + epilogue.opCount)) { tasks in
            ScratchPool.current.withBuffer(count: paddedFloats + outFloats + 16 * taps + 16) { scratch in
                let padded = scratch, out = scratch + paddedFloats, weights = out + outFloats
                let tapVectors = UnsafeMutableRawPointer(weights).bindMemory(to: SIMD16<Float>.self, capacity: taps)
                var loaded = -1
                var biasVector = SIMD16<Float>()
                for task in tasks {
                    let (plane, band) = task.quotientAndRemainder(dividingBy: bands.count)
                    let (image, group) = plane.quotientAndRemainder(dividingBy: groups)
                    let first = 16 * group
                    if group != loaded {
                        for t in 0..<taps {
                            var v = SIMD16<Float>()
                            for ch in 0..<16 { v[ch] = weight[(first + ch) * taps + t] }
                            tapVectors[t] = v
                        }
                        if let bias { for ch in 0..<16 { biasVector[ch] = bias[first + ch] } }
                        loaded = group
                    }
                    let oy = band * bands.outRows
                    let rows = min(bands.outRows, w.outH - oy)
                    fillBand(padded, s, bands, firstOutRow: oy, rows: rows,
                             x: x + (image * s.channels + first) * s.inPlane, clip: clip)
                    let window: DepthwiseChannelsAVX512.Window = (
                        rows: rows, columns: w.outW, pitch: bands.pitch, kernelH: w.kernelH, kernelW: w.kernelW,
                        strideH: w.strideH, strideW: w.strideW, dilationH: w.dilationH, dilationW: w.dilationW)
                    DepthwiseChannelsAVX512.convolve(padded, window, taps: tapVectors, bias: biasVector, into: out)
                    let offset = (image * s.outChannels + first) * s.outPlane + oy * w.outW
                    ChannelPlanesAVX512.write(out, ldc: 16, positions: 0..<(rows * w.outW), channels: 0..<16,
                                              plane: s.outPlane, into: y + offset)
                    if !epilogue.isEmpty {
                        for ch in 0..<16 {
                            epilogue.apply(y, channel: first + ch, offset: offset + ch * s.outPlane,
                                           count: rows * w.outW)
                        }
                    }
                }
            }
        }
    }

    /// Fills the padded buffer of output rows `firstOutRow ..< firstOutRow + rows` from 16 input planes at `x`:
    /// the input rows the band reads, interleaved (and clamped to `clip`), the rest zero.
    private static func fillBand(_ padded: UnsafeMutablePointer<Float>, _ s: ConvKernels.ConvShape,
                                 _ bands: ChannelBands, firstOutRow: Int, rows: Int, x: UnsafePointer<Float>,
                                 clip: (low: Float, high: Float)?) {
        let w = s.window
        let rowFloats = 16 * bands.pitch
        let top = firstOutRow * w.strideH  // the band's first padded row
        let paddedRows = (rows - 1) * w.strideH + w.spanH
        let firstInput = min(max(top - w.padTop, 0), w.inH)
        let endInput = max(min(top + paddedRows - w.padTop, w.inH), firstInput)
        let inputStart = firstInput + w.padTop - top, inputEnd = endInput + w.padTop - top
        padded.update(repeating: 0, count: inputStart * rowFloats)
        (padded + inputEnd * rowFloats).update(repeating: 0, count: (paddedRows - inputEnd) * rowFloats)
        guard inputStart < inputEnd else { return }
        let right = 16 * (w.padLeft + w.inW)
        for r in inputStart..<inputEnd {
            let row = padded + r * rowFloats
            row.update(repeating: 0, count: 16 * w.padLeft)
            (row + right).update(repeating: 0, count: rowFloats - right)
        }
        ChannelPlanesAVX512.interleave(x + firstInput * w.inW, plane: s.inPlane, count: (endInput - firstInput) * w.inW,
                                       width: w.inW, pitch: bands.pitch,
                                       into: padded + inputStart * rowFloats + 16 * w.padLeft, clip: clip)
    }
}

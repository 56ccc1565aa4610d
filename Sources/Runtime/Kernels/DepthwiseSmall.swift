import AVX2Kernels
import AVX512Kernels

/// 3×3 depthwise planes narrower than 32 outputs (MobileNet's 28×28 to 7×7 stages), where the row-wise path has
/// almost no interior wide enough for its sixteen-lane loop and runs scalar, border by border.
///
/// The plane is copied into a zero-padded scratch plane of pitch `Wp` and the outputs computed with the same
/// pitch: output `o = oy · Wp + ox` then reads scratch `o + ky · Wp + kx` for every tap (stride 1), so the whole
/// plane is one flat loop of sixteen lanes with no border cases. The columns past `outW` are computed and dropped
/// when the plane is copied out.
extension Depthwise {
    /// Whether `smallPlanes3x3` handles this window. Stride 2 stays on the row-wise path: computed flat, half its
    /// lanes are dropped columns, and it measured slower there.
    static func fitsSmallPlane(_ w: Window2D) -> Bool {
        w.kernelH == 3 && w.kernelW == 3 && w.dilationH == 1 && w.dilationW == 1 && w.outW < 32
            && w.strideH == 1 && w.strideW == 1 && min(w.padTop, w.padLeft, w.padBottom, w.padRight) >= 0
    }

    /// Sizes of the scratch planes.
    struct SmallPlaneLayout {
        let pitch: Int, paddedRows: Int
        /// Outputs computed per plane (`outH · pitch`, rounded up to the lanes).
        let flat: Int
        /// Floats of the padded input plane, including the tail the last lanes read.
        let input: Int

        init(_ w: Window2D) {
            pitch = w.padLeft + w.inW + w.padRight
            paddedRows = w.padTop + w.inH + w.padBottom
            flat = (w.outH * pitch + 15) / 16 * 16
            input = max((paddedRows + 1) * pitch, flat + 2 * pitch + 18)
        }
    }

    /// Computes output planes `planes` (flat `image · outChannels + oc`) and runs the epilogue on each; with
    /// `inputClip`, of the input clamped to those bounds (the padding stays zero).
    static func smallPlanes3x3(_ s: ConvKernels.ConvShape, planes: some Sequence<Int>, x: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: [Float]?, y: UnsafeMutablePointer<Float>,
                               epilogue: ConvEpilogue, inputClip: ClipBounds?) {
        let w = s.window
        let layout = SmallPlaneLayout(w)
        ScratchPool.current.withBuffer(count: layout.input + layout.flat + 8) { scratch in
            let padded = scratch, out = scratch + layout.input
            padded.update(repeating: 0, count: layout.input)
            for p in planes {
                let (image, oc) = p.quotientAndRemainder(dividingBy: s.outChannels)
                let src = x + (image * s.channels + oc / s.groupOut) * s.inPlane
                copyIn(src, w, layout, into: padded, clip: inputClip)
                let k = weight + 9 * oc
                let taps = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8])
                flatStride1(padded, taps, bias?[oc] ?? 0, out, pitch: layout.pitch, count: layout.flat)
                let dst = y + p * s.outPlane
                copyOut(out, w, layout, into: dst)
                if !epilogue.isEmpty { epilogue.apply(y, channel: oc, offset: p * s.outPlane, count: s.outPlane) }
            }
        }
    }

    /// Copies the input plane into the padded plane's interior, row by row, clamped to `clip` if given (the
    /// padding, zeroed once per call, stays zero).
    @inline(__always)
    private static func copyIn(_ src: UnsafePointer<Float>, _ w: Window2D, _ layout: SmallPlaneLayout,
                               into padded: UnsafeMutablePointer<Float>, clip: ClipBounds?) {
        if let clip, !(clip.low <= 0 && clip.high >= 0) {
            for iy in 0..<w.inH {
                clip.apply(src + iy * w.inW, padded + (w.padTop + iy) * layout.pitch + w.padLeft, count: w.inW)
            }
            return
        }
        for iy in 0..<w.inH {
            ShortRows.copy(src + iy * w.inW, padded + (w.padTop + iy) * layout.pitch + w.padLeft, count: w.inW)
        }
        // Bounds that keep zero: the interior rows clamped in one pass, their padding columns included.
        if let clip {
            let rows = padded + w.padTop * layout.pitch
            clip.apply(rows, rows, count: w.inH * layout.pitch)
        }
    }

    /// Copies the computed plane (pitch `layout.pitch`) to the output plane (pitch `outW`), row by row.
    @inline(__always)
    private static func copyOut(_ out: UnsafePointer<Float>, _ w: Window2D, _ layout: SmallPlaneLayout,
                                into dst: UnsafeMutablePointer<Float>) {
        for oy in 0..<w.outH { ShortRows.copy(out + oy * layout.pitch, dst + oy * w.outW, count: w.outW) }
    }

    typealias Taps = (Float, Float, Float, Float, Float, Float, Float, Float, Float)

    /// `out[o] = bias + row0 + row1 + row2`, each row `k0 · p[o] + k1 · p[o + 1] + k2 · p[o + 2]` (the
    /// expression of the row-wise path), for `o` in `0..<count` (a multiple of 16).
    @inline(__always)
    private static func flatStride1(_ p: UnsafePointer<Float>, _ k: Taps, _ bias: Float, _ out: UnsafeMutablePointer<Float>,
                                    pitch: Int, count: Int) {
        if VectorGemm.isWide {
            DepthwiseRowsAVX512.flat(p, k, bias, out, pitch: pitch, count: count)
            return
        }
        if VectorGemm.isAvailable {
            DepthwiseRows.flat(p, k, bias, out, pitch: pitch, count: count)
            return
        }
        typealias V = SIMD16<Float>
        let r1 = p + pitch, r2 = p + 2 &* pitch
        var o = 0
        while o < count {
            func taps(_ r: UnsafePointer<Float>) -> (V, V, V) {
                (UnsafeRawPointer(r + o).loadUnaligned(as: V.self), UnsafeRawPointer(r + (o &+ 1)).loadUnaligned(as: V.self),
                 UnsafeRawPointer(r + (o &+ 2)).loadUnaligned(as: V.self))
            }
            let sum = tapSum(taps(p), taps(r1), taps(r2), k, bias)
            UnsafeMutableRawPointer(out + o).storeBytes(of: sum, as: V.self)
            o &+= 16
        }
    }
}

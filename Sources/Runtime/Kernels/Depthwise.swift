import AVX2Kernels
import AVX512Kernels

/// Direct convolution for convs with one input channel per group (depthwise, and channel multipliers), where
/// im2col + GEMM would multiply tiny matrices. One output plane per task, in parallel; 3×3 kernels (MobileNet)
/// compute each interior output in one pass. The epilogue runs on each plane right after it, from the L1 cache.
/// With `inputClip`, each input plane is read clamped to those bounds (a Clip before the conv that a recording
/// run leaves to it), through a clamped copy in the cache; the padding stays zero. With AVX-512, narrow planes go
/// sixteen channels a vector instead (`DepthwiseChannels.swift`).
enum Depthwise {
    static func run(_ s: ConvKernels.ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                    bias: [Float]?, y: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue = .none,
                    inputClip: ClipBounds? = nil) {
        let w = s.window
        let taps = w.kernelH * w.kernelW
        let ranges = (0..<w.kernelW).map {
            Im2Col.outputRange(count: w.outW, input: w.inW, stride: w.strideW, offset: $0 * w.dilationW - w.padLeft)
        }
        // With AVX-512, whole sets of 16 channels go by channels and only the channels past them plane by plane.
        var firstChannel = 0
        if runsByChannels(s) {
            byChannels(s, x: x, weight: weight, bias: bias, y: y, epilogue: epilogue, inputClip: inputClip)
            firstChannel = s.outChannels / 16 * 16
            if firstChannel == s.outChannels { return }
        }
        let perImage = s.outChannels - firstChannel
        let zeros = [Float](repeating: 0, count: w.inW + 1)
        zeros.withUnsafeBufferPointer { zeroRow in
            ParallelFor.run(s.batch * perImage, cost: s.outPlane * (taps + epilogue.opCount)) { indices in
                let planes = indices.lazy.map { i in
                    let (image, channel) = i.quotientAndRemainder(dividingBy: perImage)
                    return image * s.outChannels + firstChannel + channel
                }
                if fitsSmallPlane(w) {
                    smallPlanes3x3(s, planes: planes, x: x, weight: weight, bias: bias, y: y, epilogue: epilogue,
                                   inputClip: inputClip)
                    return
                }
                func rowWise(clamped: UnsafeMutablePointer<Float>?) {
                    for p in planes {
                        let (image, oc) = p.quotientAndRemainder(dividingBy: s.outChannels)
                        var src = x + (image * s.channels + oc / s.groupOut) * s.inPlane
                        if let inputClip, let clamped {
                            inputClip.apply(src, clamped, count: s.inPlane)
                            src = UnsafePointer(clamped)
                        }
                        let dst = y + p * s.outPlane
                        let b = bias?[oc] ?? 0
                        if w.kernelH == 3 && w.kernelW == 3 {
                            plane3x3(src, weight + oc * taps, b, dst, w, ranges, zeroRow: zeroRow.baseAddress!)
                        } else {
                            dst.update(repeating: b, count: s.outPlane)
                            plane(src, weight + oc * taps, dst, w, ranges)
                        }
                        if !epilogue.isEmpty { epilogue.apply(y, channel: oc, offset: p * s.outPlane, count: s.outPlane) }
                    }
                }
                if inputClip == nil {
                    rowWise(clamped: nil)
                } else {
                    ScratchPool.current.withBuffer(count: s.inPlane) { rowWise(clamped: $0) }
                }
            }
        }
    }

    /// Any kernel size: accumulates tap by tap along output rows.
    private static func plane(_ src: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                              _ w: Window2D, _ ranges: [Range<Int>]) {
        for oy in 0..<w.outH {
            let out = dst + oy * w.outW
            for ky in 0..<w.kernelH {
                let iy = oy * w.strideH - w.padTop + ky * w.dilationH
                guard iy >= 0, iy < w.inH else { continue }
                let line = src + iy * w.inW
                for kx in 0..<w.kernelW {
                    accumulate(k[ky * w.kernelW + kx], line + kx * w.dilationW - w.padLeft, into: out,
                               ranges[kx], stride: w.strideW)
                }
            }
        }
    }

    @inline(__always)
    private static func accumulate(_ tap: Float, _ input: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                   _ valid: Range<Int>, stride: Int) {
        if stride == 1 {
            for ox in valid { out[ox] += tap * input[ox] }
        } else {
            for ox in valid { out[ox] += tap * input[ox &* stride] }
        }
    }

    /// 3×3: rows outside the input read a zero row, columns where all three taps are inside are computed in one
    /// expression, the few border columns tap by tap.
    private static func plane3x3(_ src: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ bias: Float,
                                 _ dst: UnsafeMutablePointer<Float>, _ w: Window2D, _ rangeArray: [Range<Int>],
                                 zeroRow: UnsafePointer<Float>) {
        // A tuple, not the array: no reference counting in the per-row border code.
        let ranges = (rangeArray[0], rangeArray[1], rangeArray[2])
        let lower = max(ranges.0.lowerBound, ranges.1.lowerBound, ranges.2.lowerBound)
        let upper = min(ranges.0.upperBound, ranges.1.upperBound, ranges.2.upperBound)
        let interior = lower < upper ? lower..<upper : 0..<0
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8])
        let (s, d) = (w.strideW, w.dilationW)
        func row(_ iy: Int) -> UnsafePointer<Float> { iy >= 0 && iy < w.inH ? src + iy * w.inW : zeroRow }
        for oy in 0..<w.outH {
            let top = oy * w.strideH - w.padTop
            let r0 = row(top) - w.padLeft, r1 = row(top + w.dilationH) - w.padLeft, r2 = row(top + 2 * w.dilationH) - w.padLeft
            let out = dst + oy * w.outW
            // Wrapping arithmetic (&+, &*) in the hot loops: overflow checks would stop them from vectorising.
            if s == 1 && d == 1 {
                let tail = stride1Row(r0, r1, r2, (k0, k1, k2, k3, k4, k5, k6, k7, k8), bias, out, interior)
                for ox in tail {
                    let a = k0 * r0[ox] + k1 * r0[ox &+ 1] + k2 * r0[ox &+ 2]
                    let b = k3 * r1[ox] + k4 * r1[ox &+ 1] + k5 * r1[ox &+ 2]
                    out[ox] = bias + a + b + (k6 * r2[ox] + k7 * r2[ox &+ 1] + k8 * r2[ox &+ 2])
                }
            } else if s == 2 && d == 1 {
                stride2Row(r0, r1, r2, (k0, k1, k2, k3, k4, k5, k6, k7, k8), bias, out, interior)
            } else {
                let d2 = 2 &* d
                for ox in interior {
                    let i = ox &* s
                    let a = k0 * r0[i] + k1 * r0[i &+ d] + k2 * r0[i &+ d2]
                    let b = k3 * r1[i] + k4 * r1[i &+ d] + k5 * r1[i &+ d2]
                    out[ox] = bias + a + b + (k6 * r2[i] + k7 * r2[i &+ d] + k8 * r2[i &+ d2])
                }
            }
            let left = interior.isEmpty ? 0..<w.outW : 0..<interior.lowerBound
            for ox in left { out[ox] = border(ox, r0, r1, r2, k, bias, s, d, ranges) }
            for ox in (interior.isEmpty ? w.outW : interior.upperBound)..<w.outW {
                out[ox] = border(ox, r0, r1, r2, k, bias, s, d, ranges)
            }
        }
    }

    /// Sixteen 3×3 outputs from the three taps of three rows: the same expression, in the same order, as the
    /// scalar loops, so every path gives the same bits.
    @inline(__always)
    static func tapSum(_ r0: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), _ r1: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                       _ r2: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                       _ k: (Float, Float, Float, Float, Float, Float, Float, Float, Float), _ bias: Float) -> SIMD16<Float> {
        let a = k.0 * r0.0 + k.1 * r0.1 + k.2 * r0.2
        let b = k.3 * r1.0 + k.4 * r1.1 + k.5 * r1.2
        return SIMD16(repeating: bias) + a + b + (k.6 * r2.0 + k.7 * r2.1 + k.8 * r2.2)
    }

    /// Interior outputs of a stride-1 3×3 row, sixteen at a time (same expression as the scalar loop); returns
    /// the outputs left for the scalar loop.
    @inline(__always)
    private static func stride1Row(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                                   _ k: (Float, Float, Float, Float, Float, Float, Float, Float, Float), _ bias: Float,
                                   _ out: UnsafeMutablePointer<Float>, _ interior: Range<Int>) -> Range<Int> {
        if VectorGemm.isWide {
            let ox = DepthwiseRowsAVX512.stride1(r0, r1, r2, k, bias, out, lower: interior.lowerBound,
                                                 upper: interior.upperBound)
            return ox..<interior.upperBound
        }
        if VectorGemm.isAvailable {
            let ox = DepthwiseRows.stride1(r0, r1, r2, k, bias, out, lower: interior.lowerBound, upper: interior.upperBound)
            return ox..<interior.upperBound
        }
        typealias V = SIMD16<Float>
        @inline(__always) func sixteen(_ ox: Int) {
            func taps(_ r: UnsafePointer<Float>) -> (V, V, V) {
                (UnsafeRawPointer(r + ox).loadUnaligned(as: V.self), UnsafeRawPointer(r + (ox &+ 1)).loadUnaligned(as: V.self),
                 UnsafeRawPointer(r + (ox &+ 2)).loadUnaligned(as: V.self))
            }
            UnsafeMutableRawPointer(out + ox).storeBytes(of: tapSum(taps(r0), taps(r1), taps(r2), k, bias), as: V.self)
        }
        return inSixteens(interior, sixteen)..<interior.upperBound
    }

    /// Interior outputs of a stride-2 3×3 row, sixteen at a time: even and odd input columns come from 32-wide
    /// loads at `2ox` and `2ox+1` split in halves (reading no further than `2(ox+15)+2`), so the strided reads
    /// vectorise; the last sixteen overlap the previous ones. Same expression as the scalar loop.
    @inline(__always)
    private static func stride2Row(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                                   _ k: (Float, Float, Float, Float, Float, Float, Float, Float, Float), _ bias: Float,
                                   _ out: UnsafeMutablePointer<Float>, _ interior: Range<Int>) {
        typealias V = SIMD16<Float>
        @inline(__always) func sixteen(_ ox: Int) {
            let i = 2 &* ox
            func taps(_ r: UnsafePointer<Float>) -> (V, V, V) {
                let a = UnsafeRawPointer(r + i).loadUnaligned(as: SIMD32<Float>.self)
                let b = UnsafeRawPointer(r + (i &+ 1)).loadUnaligned(as: SIMD32<Float>.self)
                return (a.evenHalf, a.oddHalf, b.oddHalf)
            }
            UnsafeMutableRawPointer(out + ox).storeBytes(of: tapSum(taps(r0), taps(r1), taps(r2), k, bias), as: V.self)
        }
        let (lower, upper) = (interior.lowerBound, interior.upperBound)
        var ox = VectorGemm.isWide ? DepthwiseRowsAVX512.stride2(r0, r1, r2, k, bias, out, lower: lower, upper: upper)
            : VectorGemm.isAvailable ? DepthwiseRows.stride2(r0, r1, r2, k, bias, out, lower: lower, upper: upper)
            : inSixteens(interior, sixteen)
        while ox < interior.upperBound {
            let i = 2 &* ox
            let a = k.0 * r0[i] + k.1 * r0[i &+ 1] + k.2 * r0[i &+ 2]
            let b = k.3 * r1[i] + k.4 * r1[i &+ 1] + k.5 * r1[i &+ 2]
            out[ox] = bias + a + b + (k.6 * r2[i] + k.7 * r2[i &+ 1] + k.8 * r2[i &+ 2])
            ox &+= 1
        }
    }

    /// Calls `sixteen(ox)` over `range` sixteen outputs at a time; a row of 16 or more that does not divide ends
    /// with sixteen that overlap the previous ones (recomputed to the same bits) instead of a scalar tail. Returns
    /// the first output left for the scalar loop. (`DepthwiseRows.inSixteens` is the same loop compiled for AVX2.)
    @inline(__always)
    private static func inSixteens(_ range: Range<Int>, _ sixteen: (Int) -> Void) -> Int {
        var ox = range.lowerBound
        while ox &+ 16 <= range.upperBound {
            sixteen(ox)
            ox &+= 16
        }
        if ox < range.upperBound && range.count >= 16 {
            sixteen(range.upperBound &- 16)
            ox = range.upperBound
        }
        return ox
    }

    @inline(__always)
    private static func border(_ ox: Int, _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                               _ k: UnsafePointer<Float>, _ bias: Float, _ s: Int, _ d: Int,
                               _ ranges: (Range<Int>, Range<Int>, Range<Int>)) -> Float {
        var sum = bias
        let i = ox * s
        if ranges.0.contains(ox) { sum += k[0] * r0[i] + k[3] * r1[i] + k[6] * r2[i] }
        if ranges.1.contains(ox) { sum += k[1] * r0[i + d] + k[4] * r1[i + d] + k[7] * r2[i + d] }
        if ranges.2.contains(ox) { sum += k[2] * r0[i + 2 * d] + k[5] * r1[i + 2 * d] + k[8] * r2[i + 2 * d] }
        return sum
    }
}

/// Depthwise convolution with sixteen channels as the vector lanes: every output position is one vector of sixteen
/// channels and every tap one product with the vector of the sixteen channels' weights for that tap. A window needs
/// no shuffles at any stride, dilation or plane width, where the row-wise loops split 32-wide loads for stride 2
/// and run short rows (7 or 14 outputs) mostly outside their sixteen-lane loop.
///
/// The input planes come in through `ChannelPlanesAVX512.interleave` into a zero-padded buffer of interleaved
/// channels, and the outputs go out through `ChannelPlanesAVX512.write`.
public enum DepthwiseChannelsAVX512 {
    public typealias Vector = SIMD16<Float>

    /// Where the outputs of a band read the padded buffer: output `(oy, ox)` of `rows × columns` reads, for tap
    /// `(ky, kx)`, the vector of position `(oy·strideH + ky·dilationH) · pitch + ox·strideW + kx·dilationW`.
    /// (Plain integers, not a struct: a struct's copy helper compiled here could be merged with the baseline one.)
    public typealias Window = (rows: Int, columns: Int, pitch: Int, kernelH: Int, kernelW: Int, strideH: Int,
                               strideW: Int, dilationH: Int, dilationW: Int)

    /// Computes `w.rows · w.columns` output vectors into `out` (position-major, 16 floats each) from `padded`.
    /// `taps` holds `kernelH · kernelW` vectors of weights, row-major. A 3×3 window sums as `Depthwise`'s other loops
    /// do, `bias + row0 + row1 + row2` with each row `k0·a + k1·b + k2·c`; other windows start from the bias and add
    /// tap after tap. No fused multiply-adds, so the lanes give the bits of the scalar loops.
    public static func convolve(_ padded: UnsafePointer<Float>, _ w: Window, taps: UnsafePointer<Vector>,
                                bias: Vector, into out: UnsafeMutablePointer<Float>) {
        if w.kernelH == 3 && w.kernelW == 3 {
            convolve3x3(padded, w, taps: taps, bias: bias, into: out)
            return
        }
        for oy in 0..<w.rows {
            let row = padded + 16 &* (oy &* w.strideH &* w.pitch)
            let to = out + 16 &* (oy &* w.columns)
            for ox in 0..<w.columns {
                var sum = bias
                var t = 0
                for ky in 0..<w.kernelH {
                    let line = row + 16 &* (ky &* w.dilationH &* w.pitch &+ ox &* w.strideW)
                    for kx in 0..<w.kernelW {
                        sum += taps[t] * load(line + 16 &* (kx &* w.dilationW))
                        t &+= 1
                    }
                }
                store(sum, to + 16 &* ox)
            }
        }
    }

    @inline(__always)
    private static func convolve3x3(_ padded: UnsafePointer<Float>, _ w: Window, taps: UnsafePointer<Vector>,
                                    bias: Vector, into out: UnsafeMutablePointer<Float>) {
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = (taps[0], taps[1], taps[2], taps[3], taps[4], taps[5], taps[6],
                                                    taps[7], taps[8])
        let step = 16 &* w.strideW, d = 16 &* w.dilationW, d2 = 32 &* w.dilationW
        let down = 16 &* w.dilationH &* w.pitch
        for oy in 0..<w.rows {
            var r0 = padded + 16 &* (oy &* w.strideH &* w.pitch)
            var r1 = r0 + down, r2 = r1 + down
            var to = out + 16 &* (oy &* w.columns)
            for _ in 0..<w.columns {
                let a = k0 * load(r0) + k1 * load(r0 + d) + k2 * load(r0 + d2)
                let b = k3 * load(r1) + k4 * load(r1 + d) + k5 * load(r1 + d2)
                store(bias + a + b + (k6 * load(r2) + k7 * load(r2 + d) + k8 * load(r2 + d2)), to)
                r0 += step
                r1 += step
                r2 += step
                to += 16
            }
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }
}

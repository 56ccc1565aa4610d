import AVX512Kernels

/// Stride-1 convs with a shallow product, such as a stem reading one channel, straight into their output planes
/// (`ShallowConvAVX512`) from the same padded copy and taps as the shifted product: the same sums.
extension ConvKernels {
    /// Depth up to which a conv on one core runs shallow: three input channels of a 3×3 window.
    static let shallowDepth = 27

    /// Whether one group of a conv on `threads` cores runs shallow: AVX-512, one core, stride 1, depth at most
    /// `shallowDepth`, output rows of 16 or more.
    static func runsShallow(_ s: ConvShape, threads: Int) -> Bool {
        let w = s.window
        return VectorGemm.isWide && threads == 1 && w.strideH == 1 && w.strideW == 1 && w.outW >= 16
            && s.groupIn * w.kernelH * w.kernelW <= shallowDepth
    }

    /// One group of one image of a conv that `runsShallow`, then its epilogue plane by plane.
    static func shallowGroup(_ s: ConvShape, x: UnsafePointer<Float>, a: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>?, out: GroupOutput, base: UnsafeMutablePointer<Float>) {
        let w = s.window
        let (m, k, plane) = (s.groupOut, s.groupIn * w.kernelH * w.kernelW, s.outPlane)
        let layout = PhaseLayout(w)
        let planeRows = layout.rows.size
        let direct = layout.readsInput(w)
        ScratchPool.current.withBuffer(count: direct ? 1 : s.groupIn * planeRows * layout.pitch) { copy in
            if !direct {
                phaseCopy(x, channels: s.groupIn, w, layout, planeRows: 0..<planeRows, into: copy, parallel: false)
            }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { taps in
                layout.fillTaps(taps.baseAddress!, channels: s.groupIn, w, planeRows: planeRows)
                ShallowConvAVX512.run(m: m, k: k, packedA: a, rowStart: bias, image: direct ? x : UnsafePointer(copy),
                                      taps: UnsafePointer(taps.baseAddress!), pitch: layout.pitch, outH: w.outH,
                                      outW: w.outW, into: out.y, plane: plane)
            }
        }
        out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane, channels: out.channels, columns: 0..<plane)
    }
}

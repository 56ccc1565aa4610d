/// im2col for Conv: lays out every kernel tap's input pixels as a row, so a convolution becomes one GEMM.
enum Im2Col {
    /// Fills `col`, row-major `[channels · kernelH · kernelW, outH · outW]`, from one image `x` `[channels, inH, inW]`;
    /// taps in the padding become 0.
    static func fill(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D, into col: UnsafeMutablePointer<Float>) {
        let taps = w.kernelH * w.kernelW
        let plane = w.outH * w.outW
        ParallelFor.run(channels * taps, cost: plane) { rows in
            for row in rows {
                let c = row / taps, ky = (row % taps) / w.kernelW, kx = row % w.kernelW
                fillRow(x + c * w.inH * w.inW, ky: ky, kx: kx, w, into: col + row * plane)
            }
        }
    }

    private static func fillRow(_ src: UnsafePointer<Float>, ky: Int, kx: Int, _ w: Window2D,
                                into dst: UnsafeMutablePointer<Float>) {
        let xOffset = kx * w.dilationW - w.padLeft
        let valid = outputRange(count: w.outW, input: w.inW, stride: w.strideW, offset: xOffset)
        for oy in 0..<w.outH {
            let iy = oy * w.strideH - w.padTop + ky * w.dilationH
            let out = dst + oy * w.outW
            guard iy >= 0, iy < w.inH, !valid.isEmpty else {
                out.update(repeating: 0, count: w.outW)
                continue
            }
            out.update(repeating: 0, count: valid.lowerBound)
            let line = src + iy * w.inW + xOffset
            if w.strideW == 1 {
                (out + valid.lowerBound).update(from: line + valid.lowerBound, count: valid.count)
            } else {
                for ox in valid { out[ox] = line[ox &* w.strideW] }
            }
            (out + valid.upperBound).update(repeating: 0, count: w.outW - valid.upperBound)
        }
    }

    /// Output positions `o` in `0..<count` whose input `o · stride + offset` lies in `0..<input`.
    static func outputRange(count: Int, input: Int, stride: Int, offset: Int) -> Range<Int> {
        let lower = max(0, ceilDiv(-offset, stride))
        let upper = min(count, floorDiv(input - 1 - offset, stride) + 1)
        return lower < upper ? lower..<upper : 0..<0
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
}

/// im2col for Conv: lays out every kernel tap's input pixels as a row, so a convolution becomes one GEMM.
enum Im2Col {
    /// Fills `col`, row-major `[channels · kernelH · kernelW, columns.count]`, with the im2col rows restricted to
    /// the output positions `columns` (flat `oy · outW + ox`), on the calling thread: one tile of a tiled conv.
    static func fill(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D, columns: Range<Int>,
                     into col: UnsafeMutablePointer<Float>) {
        let taps = w.kernelH * w.kernelW
        let width = columns.count
        guard width > 0 else { return }
        let firstRow = columns.lowerBound / w.outW, lastRow = (columns.upperBound - 1) / w.outW
        if w.strideH == 1 && w.strideW == 1 && w.inW == w.outW {
            for row in 0..<(channels * taps) {
                let c = row / taps, ky = (row % taps) / w.kernelW, kx = row % w.kernelW
                shiftedPlane(x + c * w.inH * w.inW, ky: ky, kx: kx, w, columns: columns, into: col + row * width)
            }
            return
        }
        for row in 0..<(channels * taps) {
            let c = row / taps, ky = (row % taps) / w.kernelW, kx = row % w.kernelW
            let src = x + c * w.inH * w.inW
            let dst = col + row * width
            let xOffset = kx * w.dilationW - w.padLeft
            let valid = outputRange(count: w.outW, input: w.inW, stride: w.strideW, offset: xOffset)
            for oy in firstRow...lastRow {
                let start = oy == firstRow ? columns.lowerBound - oy * w.outW : 0
                let end = oy == lastRow ? columns.upperBound - oy * w.outW : w.outW
                let out = dst + (oy * w.outW - columns.lowerBound)
                let iy = oy * w.strideH - w.padTop + ky * w.dilationH
                let inside = iy >= 0 && iy < w.inH
                segment(inside ? src + iy * w.inW + xOffset : nil, out, start..<end, valid, stride: w.strideW)
            }
        }
    }

    /// One im2col row of a stride-1 conv whose output rows are as wide as its input rows: the row is the input
    /// plane shifted by one offset, so it is one copy, then zeros where the tap falls in the padding (whole rows
    /// at the top and bottom, a few columns at each side).
    private static func shiftedPlane(_ src: UnsafePointer<Float>, ky: Int, kx: Int, _ w: Window2D, columns: Range<Int>,
                                     into dst: UnsafeMutablePointer<Float>) {
        let dy = ky * w.dilationH - w.padTop, dx = kx * w.dilationW - w.padLeft
        let rows = outputRange(count: w.outH, input: w.inH, stride: 1, offset: dy)
        let valid = outputRange(count: w.outW, input: w.inW, stride: 1, offset: dx)
        let offset = dy * w.inW + dx
        let plane = w.inH * w.inW
        // Positions whose row is inside the input and whose source index lies inside the plane.
        let lower = max(columns.lowerBound, rows.lowerBound * w.outW, -offset)
        let upper = min(columns.upperBound, rows.upperBound * w.outW, plane - offset)
        let out = dst - columns.lowerBound
        guard lower < upper, !valid.isEmpty else {
            dst.update(repeating: 0, count: columns.count)
            return
        }
        (out + columns.lowerBound).update(repeating: 0, count: lower - columns.lowerBound)
        (out + lower).update(from: src + (lower + offset), count: upper - lower)
        (out + upper).update(repeating: 0, count: columns.upperBound - upper)
        if valid.count == w.outW { return }
        // Columns whose tap is left or right of the input: the copy put a neighbouring row's pixel there.
        for oy in (lower / w.outW)...((upper - 1) / w.outW) {
            let base = oy * w.outW
            for ox in 0..<valid.lowerBound where (lower..<upper).contains(base + ox) { out[base + ox] = 0 }
            for ox in valid.upperBound..<w.outW where (lower..<upper).contains(base + ox) { out[base + ox] = 0 }
        }
    }

    /// Writes `out[ox]` for `ox` in `range`: `line[ox · stride]` where `ox` is in `valid`, else 0 (and 0 throughout
    /// for a row in the padding, `line == nil`).
    @inline(__always)
    private static func segment(_ line: UnsafePointer<Float>?, _ out: UnsafeMutablePointer<Float>, _ range: Range<Int>,
                                _ valid: Range<Int>, stride: Int) {
        guard let line else {
            (out + range.lowerBound).update(repeating: 0, count: range.count)
            return
        }
        let lower = min(max(valid.lowerBound, range.lowerBound), range.upperBound)
        let upper = max(min(valid.upperBound, range.upperBound), lower)
        (out + range.lowerBound).update(repeating: 0, count: lower - range.lowerBound)
        if stride == 1 {
            (out + lower).update(from: line + lower, count: upper - lower)
        } else {
            for ox in lower..<upper { out[ox] = line[ox &* stride] }
        }
        (out + upper).update(repeating: 0, count: range.upperBound - upper)
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

import StrataCore

/// ConvTranspose (ONNX semantics), 1-D and 2-D: GEMM into columns, then col2im scatter-adds them into the output.
enum ConvTranspose {
    /// `X` `[N, C, (H,) W]`, `W` `[C, M/group, (kH,) kW]`, optional `B` `[M]` → `Y` `[N, M, (oH,) oW]`.
    static func run(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        let weight = try FloatArgs.required(node, inputs, 1, "W")
        let bias = try FloatArgs.optional(node, inputs, 2, "B")
        try FloatArgs.expectRank(node, x, 3...4, "X")
        let group = node.int("group", default: 1)
        guard weight.rank == x.rank, group > 0, x.shape[1] % group == 0, weight.shape[0] == x.shape[1] else {
            throw node.invalid("W \(weight.shape) does not fit X \(x.shape) with group \(group)")
        }
        let (n, c, m) = (x.shape[0], x.shape[1], weight.shape[1] * group)
        if let bias, bias.count != m { throw node.invalid("B has \(bias.count) values, expected \(m)") }
        let w = try window(node, kernel: Array(weight.shape[2...]), spatial: Array(x.shape[2...]))
        let outSpatial = x.rank == 3 ? [w.outW] : [w.outH, w.outW]
        var y = Tensor(dtype: .float32, shape: [n, m] + outSpatial)
        let s = ConvKernels.ConvShape(batch: n, channels: c, outChannels: m, group: group, window: w)
        x.withFloats { xs in
            weight.withFloats { ws in
                y.withMutableFloats { ys in
                    compute(s, x: xs.baseAddress!, weight: ws.baseAddress!, bias: bias?.scalars(as: Float.self),
                            y: ys.baseAddress!)
                }
            }
        }
        return y
    }

    /// Output size and padding from `output_shape`, `auto_pad`, `output_padding` or `pads` (ONNX spec equations).
    static func window(_ node: Node, kernel: [Int], spatial: [Int]) throws -> Window2D {
        if let declared = node.ints("kernel_shape"), declared != kernel {
            throw node.invalid("kernel_shape \(declared) differs from W's \(kernel)")
        }
        let a = try WindowAttributes(node, kernel: kernel)
        let rank = spatial.count
        let outputPadding = node.ints("output_padding") ?? Array(repeating: 0, count: rank)
        var declaredShape = node.ints("output_shape").map { Array($0.suffix(rank)) }
        guard outputPadding.count == rank, declaredShape.map({ $0.count == rank }) ?? true else {
            throw node.invalid("output_padding or output_shape does not fit a \(rank)-D kernel")
        }
        if declaredShape == nil, a.autoPad == "SAME_UPPER" || a.autoPad == "SAME_LOWER" {
            declaredShape = zip(spatial, a.strides).map { $0 * $1 }
        }
        var begin = a.padsBegin, end = a.padsEnd, out = [Int](repeating: 0, count: rank)
        for i in 0..<rank {
            let full = a.strides[i] * (spatial[i] - 1) + outputPadding[i] + (kernel[i] - 1) * a.dilations[i] + 1
            if let declaredShape {
                out[i] = declaredShape[i]
                let total = full - out[i]
                let half = Im2Col.floorDiv(total, 2)
                (begin[i], end[i]) = a.autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half)
            } else {
                out[i] = full - begin[i] - end[i]
            }
            guard out[i] > 0, out[i] <= 1 << 24 else { throw node.invalid("output size \(out) is not valid") }
        }
        return try WindowAttributes.window(node, kernel: kernel, strides: a.strides, dilations: a.dilations,
                                           begin: begin, end: end, spatial: spatial, out: out)
    }

    static func compute(_ s: ConvKernels.ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: [Float]?, y: UnsafeMutablePointer<Float>) {
        let w = s.window
        let rows = s.groupOut * w.kernelH * w.kernelW
        for image in 0..<s.batch {
            let yImage = y + image * s.outChannels * s.outPlane
            yImage.update(repeating: 0, count: s.outChannels * s.outPlane)
            ConvKernels.fillBias(bias, y: yImage, channels: s.outChannels, plane: s.outPlane)
            for g in 0..<s.group {
                let xGroup = x + (image * s.channels + g * s.groupIn) * s.inPlane
                ScratchPool.current.withBuffer(count: rows * s.inPlane) { col in
                    BLAS.sgemm(transA: true, m: rows, n: s.inPlane, k: s.groupIn, a: weight + g * s.groupIn * rows,
                               lda: rows, b: xGroup, ldb: s.inPlane, c: col, ldc: s.inPlane)
                    col2im(col, channels: s.groupOut, w, into: yImage + g * s.groupOut * s.outPlane)
                }
            }
        }
    }

    /// Adds columns `[channels · kH · kW, inH · inW]` into `y` `[channels, outH, outW]`; one task per channel.
    static func col2im(_ col: UnsafePointer<Float>, channels: Int, _ w: Window2D, into y: UnsafeMutablePointer<Float>) {
        let taps = w.kernelH * w.kernelW
        let inPlane = w.inH * w.inW
        ParallelFor.run(channels, cost: taps * inPlane) { range in
            for ch in range {
                let out = y + ch * w.outH * w.outW
                for ky in 0..<w.kernelH {
                    for kx in 0..<w.kernelW {
                        let offset = kx * w.dilationW - w.padLeft
                        let valid = Im2Col.outputRange(count: w.inW, input: w.outW, stride: w.strideW, offset: offset)
                        let row = col + (ch * taps + ky * w.kernelW + kx) * inPlane
                        for iy in 0..<w.inH {
                            let oy = iy * w.strideH - w.padTop + ky * w.dilationH
                            guard oy >= 0, oy < w.outH else { continue }
                            let line = out + oy * w.outW + offset
                            let source = row + iy * w.inW
                            for ix in valid { line[ix &* w.strideW] += source[ix] }
                        }
                    }
                }
            }
        }
    }
}

import StrataCore

/// Conv and ConvTranspose (ONNX semantics), NCHW float32, 1-D and 2-D.
enum ConvKernels {
    static let all: [String: Kernel] = [
        "Conv": { node, inputs, _ in [try conv(node, inputs)] },
        "ConvTranspose": { node, inputs, _ in [try ConvTranspose.run(node, inputs)] },
    ]

    /// Conv: `X` `[N, C, (H,) W]`, `W` `[M, C/group, (kH,) kW]`, optional `B` `[M]` → `Y` `[N, M, (oH,) oW]`.
    ///
    /// A depthwise conv (one input channel per group) runs a direct loop; a 1×1 stride-1 unpadded conv is one
    /// GEMM per group on the input itself; everything else is im2col + GEMM.
    static func conv(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        let weight = try FloatArgs.required(node, inputs, 1, "W")
        let bias = try FloatArgs.optional(node, inputs, 2, "B")
        try FloatArgs.expectRank(node, x, 3...4, "X")
        guard weight.rank == x.rank else { throw node.invalid("W has shape \(weight.shape), X has \(x.shape)") }
        let (n, c, m) = (x.shape[0], x.shape[1], weight.shape[0])
        let group = node.int("group", default: 1)
        guard group > 0, c % group == 0, m % group == 0, weight.shape[1] * group == c else {
            throw node.invalid("W \(weight.shape) does not fit X \(x.shape) with group \(group)")
        }
        let kernel = Array(weight.shape[2...])
        if let declared = node.ints("kernel_shape"), declared != kernel {
            throw node.invalid("kernel_shape \(declared) differs from W's \(kernel)")
        }
        if let bias, bias.count != m { throw node.invalid("B has \(bias.count) values, expected \(m)") }
        let w = try WindowAttributes(node, kernel: kernel).forward(node, spatial: Array(x.shape[2...]))
        let outSpatial = x.rank == 3 ? [w.outW] : [w.outH, w.outW]
        var y = Tensor.uninitialized(dtype: .float32, shape: [n, m] + outSpatial)
        let shape = ConvShape(batch: n, channels: c, outChannels: m, group: group, window: w)
        x.withFloats { xs in
            weight.withFloats { ws in
                y.withMutableFloats { ys in
                    let b = bias?.scalars(as: Float.self)
                    compute(shape, x: xs.baseAddress!, weight: ws.baseAddress!, bias: b, y: ys.baseAddress!)
                }
            }
        }
        return y
    }

    /// Sizes of one Conv call.
    struct ConvShape {
        var batch: Int, channels: Int, outChannels: Int, group: Int
        var window: Window2D
        var inPlane: Int { window.inH * window.inW }
        var outPlane: Int { window.outH * window.outW }
        var groupIn: Int { channels / group }
        var groupOut: Int { outChannels / group }
    }

    static func compute(_ s: ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: [Float]?,
                        y: UnsafeMutablePointer<Float>) {
        if s.groupIn == 1 && s.group > 1 {
            Depthwise.run(s, x: x, weight: weight, bias: bias, y: y)
            return
        }
        let w = s.window
        let pointwise = w.kernelH == 1 && w.kernelW == 1 && w.strideH == 1 && w.strideW == 1
            && w.padTop == 0 && w.padLeft == 0 && w.padBottom == 0 && w.padRight == 0
        let k = s.groupIn * w.kernelH * w.kernelW
        for image in 0..<s.batch {
            let yImage = y + image * s.outChannels * s.outPlane
            fillBias(bias, y: yImage, channels: s.outChannels, plane: s.outPlane)
            let beta: Float = bias == nil ? 0 : 1
            for g in 0..<s.group {
                let xGroup = x + (image * s.channels + g * s.groupIn) * s.inPlane
                let wGroup = weight + g * s.groupOut * k
                let yGroup = yImage + g * s.groupOut * s.outPlane
                if pointwise {
                    BLAS.sgemm(m: s.groupOut, n: s.outPlane, k: k, a: wGroup, lda: k, b: xGroup, ldb: s.outPlane,
                               beta: beta, c: yGroup, ldc: s.outPlane)
                    continue
                }
                tiled(s, k: k, x: xGroup, weight: wGroup, beta: beta, y: yGroup)
            }
        }
    }

    /// Output columns per im2col tile: the tile's columns (`k` rows of them) stay in the L2 cache from im2col to
    /// the GEMM that reads them, but at least 256 columns, so that OpenBLAS's packing of the weights, repeated
    /// for every tile, stays small next to the multiply-adds (`m·k` against `m·k·columns`).
    static func tileColumns(k: Int, plane: Int) -> Int {
        let fit = (192 << 10) / (4 * max(k, 1)) / 16 * 16
        return min(plane, max(256, fit))
    }

    /// One group of an im2col conv. Large planes run in column tiles spread over the cores, each tile laid out and
    /// multiplied by the thread that owns it (one dispatch for the whole conv); a plane that fits one tile is laid
    /// out once and multiplied by a GEMM that splits itself (by rows when the plane is narrow, as in the 7×7
    /// stages of a ResNet).
    static func tiled(_ s: ConvShape, k: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, beta: Float,
                      y: UnsafeMutablePointer<Float>) {
        let w = s.window
        let plane = s.outPlane
        let width = tileColumns(k: k, plane: plane)
        let tiles = (plane + width - 1) / width
        if tiles == 1 {
            ScratchPool.shared.withBuffer(count: k * plane) { col in
                Im2Col.fill(x, channels: s.groupIn, w, columns: 0..<plane, into: col)
                BLAS.sgemm(m: s.groupOut, n: plane, k: k, a: weight, lda: k, b: col, ldb: plane, beta: beta,
                           c: y, ldc: plane)
            }
            return
        }
        let parts = s.groupOut * plane * k >= BLAS.parallelThreshold ? min(ParallelFor.width, tiles) : 1
        // Whole tiles per part, spread evenly; each part walks its tiles in order.
        ParallelFor.run(parts, cost: .max / parts) { range in
            for part in range {
                let lower = tiles * part / parts * width, upper = min(plane, tiles * (part + 1) / parts * width)
                guard lower < upper else { continue }
                ScratchPool.shared.withBuffer(count: k * width) { col in
                    var j = lower
                    while j < upper {
                        let n = min(width, upper - j)
                        Im2Col.fill(x, channels: s.groupIn, w, columns: j..<(j + n), into: col)
                        BLAS.sgemm(m: s.groupOut, n: n, k: k, a: weight, lda: k, b: col, ldb: n, beta: beta,
                                   c: y + j, ldc: plane, parallel: false)
                        j += n
                    }
                }
            }
        }
    }

    /// Sets each channel plane of `y` to its bias (nothing without bias: the GEMM then writes with beta 0).
    static func fillBias(_ bias: [Float]?, y: UnsafeMutablePointer<Float>, channels: Int, plane: Int) {
        guard let bias else { return }
        for ch in 0..<channels { (y + ch * plane).update(repeating: bias[ch], count: plane) }
    }
}

import StrataCore

/// MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool (ONNX semantics), NCHW float32; windowed pools in 1-D
/// and 2-D, global pools over any number of spatial axes.
enum PoolKernels {
    static let all: [String: Kernel] = [
        "MaxPool": { node, inputs, _ in try maxPool(node, inputs) },
        "AveragePool": { node, inputs, _ in [try averagePool(node, inputs)] },
        "GlobalAveragePool": { node, inputs, _ in [try globalPool(node, inputs, max: false)] },
        "GlobalMaxPool": { node, inputs, _ in [try globalPool(node, inputs, max: true)] },
    ]

    /// The input, its window and the output shape of a windowed pool.
    private static func prepare(_ node: Node, _ inputs: [Tensor?]) throws -> (Tensor, Window2D, [Int]) {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        try FloatArgs.expectRank(node, x, 3...4, "X")
        guard let kernel = node.ints("kernel_shape"), kernel.count == x.rank - 2 else {
            throw node.invalid("kernel_shape \(node.ints("kernel_shape") ?? []) does not fit X \(x.shape)")
        }
        let ceilMode = node.int("ceil_mode", default: 0) != 0
        let w = try WindowAttributes(node, kernel: kernel).forward(node, spatial: Array(x.shape[2...]), ceilMode: ceilMode)
        let shape = Array(x.shape[0..<2]) + (x.rank == 3 ? [w.outW] : [w.outH, w.outW])
        return (x, w, shape)
    }

    /// MaxPool `X` `[N, C, (H,) W]` → `Y`, and `Indices` (int64, flat NCHW positions; `storage_order` 1 counts
    /// the spatial position column-major) when the node asks for it.
    static func maxPool(_ node: Node, _ inputs: [Tensor?]) throws -> [Tensor] {
        let (x, w, shape) = try prepare(node, inputs)
        let wantsIndices = node.outputs.count > 1 && !node.outputs[1].isEmpty
        let columnMajor = node.int("storage_order", default: 0) == 1
        var y = Tensor.uninitialized(dtype: .float32, shape: shape)
        var indices = Tensor(dtype: .int64, shape: wantsIndices ? shape : [0])
        let planes = shape[0] * shape[1]
        x.withFloats { xs in
            y.withMutableFloats { ys in
                indices.withUnsafeMutableBufferPointer(of: Int64.self) { ids in
                    let (src, dst, idx) = (xs.baseAddress!, ys.baseAddress!, ids.baseAddress)
                    columnRanges(w).withUnsafeBufferPointer { ranges in
                        ParallelFor.run(planes, cost: w.outH * w.outW * w.kernelH * w.kernelW) { range in
                            for p in range {
                                if wantsIndices {
                                    maxPlaneWithIndices(src + p * w.inH * w.inW, dst + p * w.outH * w.outW, w,
                                                        indices: idx! + p * w.outH * w.outW, base: p * w.inH * w.inW,
                                                        columnMajor: columnMajor)
                                } else {
                                    maxPlane(src + p * w.inH * w.inW, dst + p * w.outH * w.outW, w, ranges: ranges)
                                }
                            }
                        }
                    }
                }
            }
        }
        return wantsIndices ? [y, indices] : [y]
    }

    /// Max over each window, tap row by tap row so the inner loop runs along a row of the output; `ranges` from
    /// `columnRanges`.
    private static func maxPlane(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ w: Window2D,
                                 ranges: UnsafeBufferPointer<Range<Int>>) {
        for oy in 0..<w.outH {
            let out = dst + oy * w.outW
            out.update(repeating: -Float.infinity, count: w.outW)
            for ky in 0..<w.kernelH {
                let iy = oy * w.strideH - w.padTop + ky * w.dilationH
                guard iy >= 0, iy < w.inH else { continue }
                for kx in 0..<w.kernelW {
                    let line = src + iy * w.inW + kx * w.dilationW - w.padLeft
                    if w.strideW == 1 {
                        for ox in ranges[kx] { out[ox] = line[ox] > out[ox] ? line[ox] : out[ox] }
                    } else if w.strideW == 2 {
                        maxStride2(line, into: out, ranges[kx])
                    } else {
                        for ox in ranges[kx] {
                            let v = line[ox &* w.strideW]
                            out[ox] = v > out[ox] ? v : out[ox]
                        }
                    }
                }
            }
        }
    }

    /// `out[ox] = max(out[ox], line[2·ox])` over `valid`, eight at a time from the even half of a 16-wide load
    /// (the same comparison as the scalar loop, so NaN is treated alike). A load reads one float past its last
    /// tap, so the vectors stop one output early.
    @inline(__always)
    private static func maxStride2(_ line: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, _ valid: Range<Int>) {
        var ox = valid.lowerBound
        while ox &+ 9 <= valid.upperBound {
            let v = UnsafeRawPointer(line + 2 &* ox).loadUnaligned(as: SIMD16<Float>.self).evenHalf
            let o = UnsafeRawPointer(out + ox).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(out + ox).storeBytes(of: o.replacing(with: v, where: v .> o), as: SIMD8<Float>.self)
            ox &+= 8
        }
        while ox < valid.upperBound {
            let v = line[ox &* 2]
            out[ox] = v > out[ox] ? v : out[ox]
            ox &+= 1
        }
    }

    private static func maxPlaneWithIndices(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ w: Window2D,
                                            indices: UnsafeMutablePointer<Int64>, base: Int, columnMajor: Bool) {
        for oy in 0..<w.outH {
            for ox in 0..<w.outW {
                var best = -Float.infinity, at = -1
                for ky in 0..<w.kernelH {
                    let iy = oy * w.strideH - w.padTop + ky * w.dilationH
                    guard iy >= 0, iy < w.inH else { continue }
                    for kx in 0..<w.kernelW {
                        let ix = ox * w.strideW - w.padLeft + kx * w.dilationW
                        guard ix >= 0, ix < w.inW else { continue }
                        let v = src[iy * w.inW + ix]
                        if v > best || at < 0 { (best, at) = (v, columnMajor ? ix * w.inH + iy : iy * w.inW + ix) }
                    }
                }
                dst[oy * w.outW + ox] = best
                indices[oy * w.outW + ox] = Int64(base + max(at, 0))
            }
        }
    }

    /// For each kernel column, the output columns whose tap falls inside the input.
    private static func columnRanges(_ w: Window2D) -> [Range<Int>] {
        (0..<w.kernelW).map {
            Im2Col.outputRange(count: w.outW, input: w.inW, stride: w.strideW, offset: $0 * w.dilationW - w.padLeft)
        }
    }

    /// AveragePool `X` `[N, C, (H,) W]` → `Y`; `count_include_pad` 1 counts taps in the padding (not those a
    /// `ceil_mode` window hangs past it).
    static func averagePool(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let (x, w, shape) = try prepare(node, inputs)
        let includePad = node.int("count_include_pad", default: 0) != 0
        var y = Tensor.uninitialized(dtype: .float32, shape: shape)
        x.withFloats { xs in
            y.withMutableFloats { ys in
                let (src, dst) = (xs.baseAddress!, ys.baseAddress!)
                let counts = (0..<w.outW).map { tapCount(at: $0, stride: w.strideW, pad: w.padLeft, padEnd: w.padRight,
                                                         kernel: w.kernelW, dilation: w.dilationW, input: w.inW, includePad) }
                columnRanges(w).withUnsafeBufferPointer { ranges in
                    counts.withUnsafeBufferPointer { columns in
                        ParallelFor.run(shape[0] * shape[1], cost: w.outH * w.outW * w.kernelH * w.kernelW) { range in
                            for p in range {
                                averagePlane(src + p * w.inH * w.inW, dst + p * w.outH * w.outW, w, ranges: ranges,
                                             columns: columns, includePad: includePad)
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Mean over each window; `ranges` from `columnRanges`, `columns` the taps each output column counts.
    private static func averagePlane(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ w: Window2D,
                                     ranges: UnsafeBufferPointer<Range<Int>>, columns: UnsafeBufferPointer<Int>,
                                     includePad: Bool) {
        if w.outH == 1 && w.outW == 1 && w.kernelH == w.inH && w.kernelW == w.inW && w.dilationH == 1
            && w.dilationW == 1 && w.padTop == 0 && w.padLeft == 0 {
            // One window over the whole plane (ResNet's last pool): the same sums in the same order, without
            // the per-tap loop set-up that cost more than the additions.
            var sum: Float = 0
            for i in 0..<(w.inH * w.inW) { sum += src[i] }
            let count = w.inH * w.inW
            dst[0] = count > 0 ? sum / Float(count) : 0
            return
        }
        for oy in 0..<w.outH {
            let out = dst + oy * w.outW
            out.update(repeating: 0, count: w.outW)
            for ky in 0..<w.kernelH {
                let iy = oy * w.strideH - w.padTop + ky * w.dilationH
                guard iy >= 0, iy < w.inH else { continue }
                for kx in 0..<w.kernelW {
                    let line = src + iy * w.inW + kx * w.dilationW - w.padLeft
                    for ox in ranges[kx] { out[ox] += line[ox &* w.strideW] }
                }
            }
            let rows = tapCount(at: oy, stride: w.strideH, pad: w.padTop, padEnd: w.padBottom, kernel: w.kernelH,
                                dilation: w.dilationH, input: w.inH, includePad)
            for ox in 0..<w.outW {
                let count = rows * columns[ox]
                out[ox] = count > 0 ? out[ox] / Float(count) : 0
            }
        }
    }

    /// Taps of one window axis that count for the average: inside the input, or, with `includePad`, inside the
    /// padded input (a `ceil_mode` window may hang past both).
    private static func tapCount(at o: Int, stride: Int, pad: Int, padEnd: Int, kernel: Int, dilation: Int, input: Int,
                                 _ includePad: Bool) -> Int {
        let (lower, upper) = includePad ? (-pad, input + padEnd) : (0, input)
        return (0..<kernel).reduce(0) { count, k in
            let i = o * stride - pad + k * dilation
            return count + (i >= lower && i < upper ? 1 : 0)
        }
    }

    /// Global pools: `X` `[N, C, d1, ...]` → `[N, C, 1, ...]`, the mean or max of each channel.
    static func globalPool(_ node: Node, _ inputs: [Tensor?], max useMax: Bool) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        guard x.rank >= 3 else { throw node.invalid("X has shape \(x.shape), expected [N, C, spatial...]") }
        let planes = x.shape[0] * x.shape[1]
        let plane = x.count / Swift.max(planes, 1)
        var y = Tensor.uninitialized(dtype: .float32, shape: Array(x.shape[0..<2]) + Array(repeating: 1, count: x.rank - 2))
        x.withFloats { xs in
            y.withMutableFloats { ys in
                var first = 0
                if !useMax && plane > 0 {
                    first = planes / 8 * 8
                    for p in stride(from: 0, to: first, by: 8) {
                        meansOfEight(xs.baseAddress! + p * plane, plane: plane, into: ys.baseAddress! + p)
                    }
                }
                for p in first..<planes {
                    let values = UnsafeBufferPointer(rebasing: xs[p * plane..<(p + 1) * plane])
                    if useMax {
                        ys[p] = values.reduce(-Float.infinity) { $1.isNaN || $0.isNaN ? .nan : Swift.max($0, $1) }
                    } else {
                        ys[p] = plane > 0 ? values.reduce(0, +) / Float(plane) : .nan
                    }
                }
            }
        }
        return y
    }

    /// The means of the eight planes of `plane` floats at `x`, each summed from 0 in order as one plane alone is:
    /// one sum a lane, so the eight chains of additions overlap instead of each waiting for the one before
    /// (resnet_small's tail, GlobalAveragePool to Softmax on 64 planes of 49, took 0.968 of the time on one core).
    private static func meansOfEight(_ x: UnsafePointer<Float>, plane: Int, into y: UnsafeMutablePointer<Float>) {
        var sums = SIMD8<Float>()
        for i in 0..<plane {
            sums += SIMD8(x[i], x[plane + i], x[2 * plane + i], x[3 * plane + i],
                          x[4 * plane + i], x[5 * plane + i], x[6 * plane + i], x[7 * plane + i])
        }
        let means = sums / SIMD8(repeating: Float(plane))
        for lane in 0..<8 { y[lane] = means[lane] }
    }
}

import StrataCore

/// Conv and ConvTranspose (ONNX semantics), NCHW float32, 1-D and 2-D.
enum ConvKernels {
    static let all: [String: Kernel] = [
        "Conv": { node, inputs, _ in [try conv(node, inputs)] },
        "ConvTranspose": { node, inputs, _ in [try ConvTranspose.run(node, inputs)] },
    ]

    /// Conv: `X` `[N, C, (H,) W]`, `W` `[M, C/group, (kH,) kW]`, optional `B` `[M]` → `Y` `[N, M, (oH,) oW]`.
    ///
    /// A depthwise conv (one input channel per group) runs a direct loop. Where the CPU has AVX2, the others run on
    /// Strata's own kernels (`ConvPacked.swift`); elsewhere a 1×1 stride-1 unpadded conv is one OpenBLAS GEMM per
    /// group on the input itself, and everything else im2col + GEMM.
    static func conv(_ node: Node, _ inputs: [Tensor?], packed: PackedWeights? = nil,
                     inputClip: ClipBounds? = nil, sizes: ConvSizesCache? = nil) throws -> Tensor {
        var prepared = try prepare(node, inputs, sizes: sizes)
        prepared.inputClip = inputClip
        var y = Tensor.uninitialized(dtype: .float32, shape: prepared.outShape)
        run(prepared, into: &y, epilogue: .none, packed: packed)
        return y
    }

    /// A checked Conv call: its input, and its weights and sizes.
    struct Prepared {
        var x: Tensor
        /// What does not change between calls on inputs of one shape, behind one reference: a run copies a
        /// `Prepared` out of its step's `ConvSizesCache` and into the kernels' closures, and copying the weights, bias
        /// and shapes themselves retained six objects at each copy.
        let sizes: ConvSizes
        /// Bounds to clamp `x` to as it is read (`ClipOnRead.swift`).
        var inputClip: ClipBounds? = nil

        var weight: Tensor { sizes.weight }
        var bias: [Float]? { sizes.bias }
        var shape: ConvShape { sizes.shape }
        var outShape: [Int] { sizes.outShape }
    }

    /// A Conv call's weights, bias and sizes.
    final class ConvSizes: Sendable {
        let weight: Tensor, bias: [Float]?
        let shape: ConvShape
        let outShape: [Int]

        init(weight: Tensor, bias: [Float]?, shape: ConvShape, outShape: [Int]) {
            (self.weight, self.bias, self.shape, self.outShape) = (weight, bias, shape, outShape)
        }
    }

    /// `prepare(node, inputs)`, from `sizes` when it holds the sizes for this input's shape.
    static func prepare(_ node: Node, _ inputs: [Tensor?], sizes: ConvSizesCache?) throws -> Prepared {
        guard let sizes else { return try prepare(node, inputs) }
        return try sizes.prepared(node, inputs, prepare: prepare)
    }

    /// Checks the operands and attributes of a Conv node and works out its sizes.
    static func prepare(_ node: Node, _ inputs: [Tensor?]) throws -> Prepared {
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
        let shape = ConvShape(batch: n, channels: c, outChannels: m, group: group, window: w)
        try ShapeArgs.checkSize(node, [n, m] + outSpatial)
        return Prepared(x: x, sizes: ConvSizes(weight: weight, bias: bias?.scalars(as: Float.self), shape: shape,
                                               outShape: [n, m] + outSpatial))
    }

    /// Computes a prepared Conv into `y` (shaped `outShape`), and its epilogue.
    ///
    /// A conv that `runsPacked` runs with `packed` when it fits the call's weights, else with weights packed for
    /// this call.
    static func run(_ p: Prepared, into y: inout Tensor, epilogue: ConvEpilogue, packed: PackedWeights? = nil) {
        let s = p.shape
        let depthwise = s.groupIn == 1 && s.group > 1
        // Only the depthwise loops clamp as they read; any other conv reads a clamped copy.
        let x = depthwise ? p.x : p.inputClip.map { $0.applied(to: p.x) } ?? p.x
        x.withFloats { xs in
            p.weight.withFloats { ws in
                y.withMutableFloats { ys in
                    if runsPacked(s) {
                        let depth = s.groupIn * s.window.kernelH * s.window.kernelW
                        let fitting = packed.flatMap {
                            $0.fits(groups: s.group, rows: s.groupOut, depth: depth, bias: p.bias != nil) ? $0 : nil
                        }
                        let weights = fitting ?? PackedWeights(weight: ws.baseAddress!, groups: s.group, rows: s.groupOut,
                                                               depth: depth, bias: p.bias)
                        computePacked(s, x: xs.baseAddress!, packed: weights, y: ys.baseAddress!, epilogue: epilogue)
                    } else {
                        compute(s, x: xs.baseAddress!, weight: ws.baseAddress!, bias: p.bias, y: ys.baseAddress!,
                                epilogue: epilogue, inputClip: depthwise ? p.inputClip : nil)
                    }
                }
            }
        }
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
                        y: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue = .none, inputClip: ClipBounds? = nil) {
        if s.groupIn == 1 && s.group > 1 {
            Depthwise.run(s, x: x, weight: weight, bias: bias, y: y, epilogue: epilogue, inputClip: inputClip)
            return
        }
        let w = s.window
        let pointwise = w.kernelH == 1 && w.kernelW == 1 && w.strideH == 1 && w.strideW == 1
            && w.padTop == 0 && w.padLeft == 0 && w.padBottom == 0 && w.padRight == 0
        let k = s.groupIn * w.kernelH * w.kernelW
        for image in 0..<s.batch {
            let imageOffset = image * s.outChannels * s.outPlane
            let yImage = y + imageOffset
            fillBias(bias, y: yImage, channels: s.outChannels, plane: s.outPlane)
            let beta: Float = bias == nil ? 0 : 1
            var pending = false  // some group's epilogue still to run over whole planes
            for g in 0..<s.group {
                let xGroup = x + (image * s.channels + g * s.groupIn) * s.inPlane
                let wGroup = weight + g * s.groupOut * k
                let part = GroupOutput(y: yGroup(y, s, imageOffset, g), imageOffset: imageOffset,
                                       channels: (g * s.groupOut)..<((g + 1) * s.groupOut), epilogue: epilogue)
                if pointwise {
                    pending = pointwiseTiled(s, x: xGroup, weight: wGroup, beta: beta, out: part, base: y) || pending
                } else {
                    pending = tiled(s, k: k, x: xGroup, weight: wGroup, beta: beta, out: part, base: y) || pending
                }
            }
            if pending { epilogue.applyPlanes(y, imageOffset: imageOffset, plane: s.outPlane, channels: s.outChannels) }
        }
    }

    @inline(__always)
    static func yGroup(_ y: UnsafeMutablePointer<Float>, _ s: ConvShape, _ imageOffset: Int, _ g: Int)
        -> UnsafeMutablePointer<Float> {
        y + imageOffset + g * s.groupOut * s.outPlane
    }

    /// Where one group of one image goes: its output rows, their channels, and the epilogue to run on them.
    struct GroupOutput {
        var y: UnsafeMutablePointer<Float>
        var imageOffset: Int
        var channels: Range<Int>
        var epilogue: ConvEpilogue
    }

    /// Output columns per im2col tile: the tile's columns (`k` rows of them) stay in the L2 cache from im2col to
    /// the GEMM that reads them, but at least 256 columns, so that OpenBLAS's packing of the weights, repeated
    /// for every tile, stays small next to the multiply-adds (`m·k` against `m·k·columns`).
    static func tileColumns(k: Int, plane: Int) -> Int {
        let fit = (192 << 10) / (4 * max(k, 1)) / 16 * 16
        return min(plane, max(256, fit))
    }

    /// One group of an im2col conv. Large planes run in column tiles spread over the cores, each tile laid out,
    /// multiplied and passed through the epilogue by the thread that owns it (one dispatch for the whole conv); a
    /// plane that fits one tile is laid out once and multiplied by a GEMM that splits itself (by rows when the
    /// plane is narrow, as in the 7×7 stages of a ResNet). Returns whether the epilogue is still to run (one tile).
    static func tiled(_ s: ConvShape, k: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, beta: Float,
                      out: GroupOutput, base: UnsafeMutablePointer<Float>) -> Bool {
        let w = s.window
        let plane = s.outPlane
        let width = tileColumns(k: k, plane: plane)
        let tiles = (plane + width - 1) / width
        if tiles == 1 {
            ScratchPool.current.withBuffer(count: k * plane) { col in
                Im2Col.fill(x, channels: s.groupIn, w, columns: 0..<plane, into: col)
                BLAS.sgemm(m: s.groupOut, n: plane, k: k, a: weight, lda: k, b: col, ldb: plane, beta: beta,
                           c: out.y, ldc: plane)
            }
            return true
        }
        let parallel = s.groupOut * plane * k >= BLAS.parallelThreshold
        forEachTile(plane: plane, width: width, parallel: parallel, scratch: k * width) { columns, col in
            Im2Col.fill(x, channels: s.groupIn, w, columns: columns, into: col)
            BLAS.sgemm(m: s.groupOut, n: columns.count, k: k, a: weight, lda: k, b: col, ldb: columns.count, beta: beta,
                       c: out.y + columns.lowerBound, ldc: plane, parallel: false)
            out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane, channels: out.channels, columns: columns)
        }
        return false
    }

    /// Calls `body(columns, scratch)` for every column tile of `width` in `0..<plane`, the tiles spread in whole,
    /// ordered runs over the cores when `parallel`, each thread with its own `scratch` floats.
    static func forEachTile(plane: Int, width: Int, parallel: Bool, scratch: Int,
                            _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let tiles = (plane + width - 1) / width
        let parts = parallel ? min(ParallelFor.width, tiles) : 1
        ParallelFor.run(parts, cost: .max / parts) { range in
            for part in range {
                let lower = tiles * part / parts * width, upper = min(plane, tiles * (part + 1) / parts * width)
                guard lower < upper else { continue }
                ScratchPool.current.withBuffer(count: max(scratch, 1)) { buffer in
                    var j = lower
                    while j < upper {
                        let n = min(width, upper - j)
                        body(j..<(j + n), buffer)
                        j += n
                    }
                }
            }
        }
    }

    /// One group of a 1×1 stride-1 unpadded conv: a GEMM on the input itself. Large planes run in column tiles
    /// over the cores, so each tile's epilogue reads it from the cache; returns whether the epilogue is still to
    /// run (a plane of one tile, multiplied by one GEMM that splits itself).
    static func pointwiseTiled(_ s: ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, beta: Float,
                               out: GroupOutput, base: UnsafeMutablePointer<Float>) -> Bool {
        let (plane, k) = (s.outPlane, s.groupIn)
        let width = pointwiseColumns(k: k, m: s.groupOut, plane: plane)
        if width >= plane {
            BLAS.sgemm(m: s.groupOut, n: plane, k: k, a: weight, lda: k, b: x, ldb: plane, beta: beta, c: out.y, ldc: plane)
            return true
        }
        let parallel = s.groupOut * plane * k >= BLAS.parallelThreshold
        forEachTile(plane: plane, width: width, parallel: parallel, scratch: 0) { columns, _ in
            BLAS.sgemm(m: s.groupOut, n: columns.count, k: k, a: weight, lda: k, b: x + columns.lowerBound, ldb: plane,
                       beta: beta, c: out.y + columns.lowerBound, ldc: plane, parallel: false)
            out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane, channels: out.channels, columns: columns)
        }
        return false
    }

    /// Output columns per tile of a 1×1 conv: the tile's inputs (`k` rows) and outputs (`m` rows) stay in the L2
    /// cache, and at least about 256 columns (see `tileColumns`), in tiles of even width.
    static func pointwiseColumns(k: Int, m: Int, plane: Int) -> Int {
        let fit = min((192 << 10) / (4 * max(k, 1)), (256 << 10) / (4 * max(m, 1))) / 16 * 16
        let width = min(plane, max(256, fit))
        // Evenly sized tiles: no thin last tile.
        let tiles = (plane + width - 1) / width
        return min(plane, ((plane + tiles - 1) / tiles + 15) / 16 * 16)
    }

    /// Sets each channel plane of `y` to its bias (nothing without bias: the GEMM then writes with beta 0).
    static func fillBias(_ bias: [Float]?, y: UnsafeMutablePointer<Float>, channels: Int, plane: Int) {
        guard let bias else { return }
        for ch in 0..<channels { (y + ch * plane).update(repeating: bias[ch], count: plane) }
    }
}

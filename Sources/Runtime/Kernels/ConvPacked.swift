import AVX2Kernels

/// Conv on the vector kernels (`PackedGemm`, through `VectorGemm` on AVX-512 where the CPU has it): the weights
/// packed once per plan, the bias the sums start from, the epilogue run on each tile while it is in the cache. A
/// 1×1 stride-1 unpadded conv multiplies the input itself, a strided one its input's gathered samples; every other
/// conv reads shifted copies of its input (`ConvShifted.swift`).
extension ConvKernels {
    /// Multiply-adds from which one product is split over the cores: with `WorkerPool`'s hand-over (well under a
    /// microsecond) splitting pays from about 5 µs of one core's work (resnet_small's 1.8M-MAC convs: 55 µs on one
    /// core, 36–42 µs on two; its 0.44M-MAC stem with 27-deep products: 27 µs on one, 18 on two).
    static let packedParallelThreshold = 400_000

    /// Whether a conv runs on the AVX2 kernels here: not depthwise (`Depthwise` runs those), no negative padding.
    static func runsPacked(_ s: ConvShape) -> Bool {
        VectorGemm.isAvailable && !(s.groupIn == 1 && s.group > 1) && runsShifted(s.window)
    }

    /// Computes one conv that `runsPacked` with `packed` weights (`PackedWeights.fits` checked by the caller).
    static func computePacked(_ s: ConvShape, x: UnsafePointer<Float>, packed: PackedWeights,
                              y: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue) {
        for image in 0..<s.batch {
            let imageOffset = image * s.outChannels * s.outPlane
            for g in 0..<s.group {
                let xGroup = x + (image * s.channels + g * s.groupIn) * s.inPlane
                let part = GroupOutput(y: yGroup(y, s, imageOffset, g), imageOffset: imageOffset,
                                       channels: (g * s.groupOut)..<((g + 1) * s.groupOut), epilogue: epilogue)
                packedGroup(s, x: xGroup, a: packed.matrix(group: g), bias: packed.bias(group: g),
                            positionWeights: { packed.positionMatrix(group: g) }, out: part, base: y)
            }
        }
    }

    /// One group of one image. A 1×1 conv on a wide plane is split by columns over the cores (each thread
    /// multiplies and finishes its own tiles); on a narrow plane with many output channels, by rows.
    private static func packedGroup(_ s: ConvShape, x: UnsafePointer<Float>, a: UnsafePointer<Float>,
                                    bias: UnsafePointer<Float>?, positionWeights: () -> UnsafePointer<Float>,
                                    out: GroupOutput, base: UnsafeMutablePointer<Float>) {
        let w = s.window
        let (m, plane, k) = (s.groupOut, s.outPlane, s.groupIn * w.kernelH * w.kernelW)
        if let unstrided = gatheredPointwise(s) {
            ScratchPool.current.withBuffer(count: s.groupIn * plane) { gathered in
                gatherStrided(x, s, into: gathered)
                packedGroup(unstrided, x: gathered, a: a, bias: bias, positionWeights: positionWeights, out: out, base: base)
            }
            return
        }
        let pointwise = w.kernelH == 1 && w.kernelW == 1 && w.strideH == 1 && w.strideW == 1
            && w.padTop == 0 && w.padLeft == 0 && w.padBottom == 0 && w.padRight == 0
        let threads = m * plane * k >= packedParallelThreshold ? ParallelFor.cores : 1
        guard pointwise else {
            if runsByPositions(s) {
                positionGroup(s, x: x, weights: positionWeights(), bias: bias, out: out, base: base, threads: threads)
            } else {
                shiftedGroup(s, x: x, a: a, bias: bias, out: out, base: base, threads: threads)
            }
            return
        }
        let narrow = narrowColumns(plane: plane)
        if splitsByRows(plane: plane, m: m, threads: threads) {
            forEachRowPanelRun(m: m, k: k, threads: threads) { rowPanels, channels, scratch in
                VectorGemm.multiply(m: m, n: plane, k: k, packedA: a, panels: rowPanels, b: x, ldb: plane, c: out.y,
                                    ldc: plane, rowStart: bias, accumulate: false, scratch: scratch, narrow: narrow)
                let first = out.channels.lowerBound
                out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane,
                                   channels: (first + channels.lowerBound)..<(first + channels.upperBound),
                                   columns: 0..<plane)
            }
            return
        }
        let width = evenTileColumns(plane: plane, width: pointwiseColumns(k: k, m: m, plane: plane), parts: threads)
        // With few output channels B's rows are read in place, which takes them as offsets.
        let rows = PackedGemm.panels(m: m) <= PackedGemm.inPlacePanels ? (0..<k).map { $0 * plane } : nil
        forEachTile(plane: plane, width: width, parallel: threads > 1, scratch: VectorGemm.scratchCount(k: k)) { columns, scratch in
            VectorGemm.multiply(m: m, n: columns.count, k: k, packedA: a, panels: 0..<PackedGemm.panels(m: m),
                                b: x + columns.lowerBound, ldb: plane, rowOffsets: rows, c: out.y + columns.lowerBound,
                                ldc: plane, rowStart: bias, accumulate: false, scratch: scratch,
                                narrow: columns.upperBound == plane ? min(narrow, columns.count) : 0)
            out.epilogue.apply(base, imageOffset: out.imageOffset, plane: plane, channels: out.channels, columns: columns)
        }
    }

    /// For an unpadded strided 1×1 conv (a residual block's projection): the same conv on its input's strided
    /// samples gathered into planes of their own (`gatherStrided`), a pointwise conv; nil for any other conv.
    /// Shifted, such a conv copied every phase of its input where it reads one: gathered, resnet_small's 1×1
    /// stride-2 convs to 14×14 and 7×7 take 0.87 and 0.86 of the time, ResNet-50's three 0.80–0.92 (each conv
    /// alone, medians of paired rounds), with the same sums.
    static func gatheredPointwise(_ s: ConvShape) -> ConvShape? {
        let w = s.window
        guard w.kernelH == 1 && w.kernelW == 1 && (w.strideH > 1 || w.strideW > 1),
              w.padTop == 0 && w.padLeft == 0 && w.padBottom == 0 && w.padRight == 0 else { return nil }
        var pointwise = s
        pointwise.channels = s.groupIn
        pointwise.outChannels = s.groupOut
        pointwise.group = 1
        pointwise.window = Window2D(inH: w.outH, inW: w.outW, outH: w.outH, outW: w.outW)
        return pointwise
    }

    /// Copies input `x[c, oy · strideH, ox · strideW]` of a group's channels to `into[c, oy, ox]`, row by row
    /// (`copyStrided`, which reads no further than the group's planes).
    static func gatherStrided(_ x: UnsafePointer<Float>, _ s: ConvShape, into: UnsafeMutablePointer<Float>) {
        let w = s.window
        let plane = s.outPlane
        let end = x + s.groupIn * s.inPlane
        ParallelFor.run(s.groupIn, cost: plane) { channels in
            for c in channels {
                for oy in 0..<w.outH {
                    let row = x + c * s.inPlane + oy * w.strideH * w.inW
                    copyStrided(row, stride: w.strideW, to: into + c * plane + oy * w.outW, count: w.outW,
                                readable: end - row)
                }
            }
        }
    }

    /// Columns at the end of a 1×1 conv's plane that `NarrowColumnsAVX512` computes, with AVX-512: the columns
    /// past the plane's last whole 16 when there are at most 4 (a 7×7 plane's last one, a 14×14 plane's last four),
    /// which a 16-column tile would take whole. MobileNetV2's 1×1 convs at 7×7 from 960 to 320 channels and from
    /// 320 to 1280 took 96 and 126 µs against 110 and 144 (medians, each conv alone).
    static func narrowColumns(plane: Int) -> Int {
        let rest = plane % 16
        return VectorGemm.isWide && plane > 16 && rest <= 4 ? rest : 0
    }

    /// Whether a product split over `threads` cores runs by row panels of A: a narrow plane (under 128 columns
    /// a core, as in the 7×7 and 14×14 stages) with at least six panels a core. Split by rows, every core packs
    /// all of B, which pays only over enough rows: resnet_small's 32- and 64-channel convs at 14² and 7² (three and
    /// six panels a core) run 15 % faster split by columns, each core packing its own.
    static func splitsByRows(plane: Int, m: Int, threads: Int) -> Bool {
        threads > 1 && plane < threads * 128 && PackedGemm.panels(m: m) >= threads * 6
    }

    /// Calls `body(rowPanels, channels, scratch)` for `threads` contiguous runs of the row panels of an `m`-row A,
    /// one per core: `channels` are the rows of C they compute, `scratch` the packing scratch for depth `k`.
    static func forEachRowPanelRun(m: Int, k: Int, threads: Int,
                                   _ body: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let panels = PackedGemm.panels(m: m), height = PackedGemm.panelRows
        ParallelFor.run(threads, cost: .max / threads) { range in
            ScratchPool.current.withBuffer(count: VectorGemm.scratchCount(k: k)) { scratch in
                for part in range {
                    let rowPanels = (panels * part / threads)..<(panels * (part + 1) / threads)
                    body(rowPanels, (rowPanels.lowerBound * height)..<min(m, rowPanels.upperBound * height), scratch)
                }
            }
        }
    }

    /// A tile width near `width` that cuts `plane` into a multiple of `parts` tiles of equal width (rounded up to
    /// 16 columns), so that split over `parts` cores every core gets the same work.
    static func evenTileColumns(plane: Int, width: Int, parts: Int) -> Int {
        var tiles = max(1, (plane + width - 1) / width)
        tiles = (tiles + parts - 1) / parts * parts
        return min(plane, ((plane + tiles - 1) / tiles + 15) / 16 * 16)
    }
}

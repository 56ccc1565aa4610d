import Testing
import StrataCore
@testable import Runtime

/// The speed paths (tiled im2col conv over two threads, shifted-plane im2col, vectorised depthwise rows,
/// vectorised Relu/Clip, row-copy Pad, uninitialised outputs, prepared plans) against plain references, on
/// shapes that reach them: several tiles, tiles that cross image rows, odd widths, borders.
@Suite struct FastPathTests {
    static let convCases: [ConvCase] = [
        // k = 32·9 = 288: 256-column tiles, 1,369 columns → 6 tiles crossing rows, split over the cores.
        ConvCase(name: "tiled 3x3 same pad", x: [1, 32, 37, 37], w: [16, 32, 3, 3], pads: [1, 1, 1, 1], bias: true),
        // k = 576: 256-column tiles, 1,050 columns → 5 tiles (the last partial).
        ConvCase(name: "tiled 3x3 dilated same pad", x: [1, 64, 30, 35], w: [12, 64, 3, 3], dilations: [2, 2], pads: [2, 2, 2, 2]),
        ConvCase(name: "narrow plane, GEMM split by rows", x: [1, 64, 7, 7], w: [96, 64, 3, 3], pads: [1, 1, 1, 1]),
        ConvCase(name: "14x14 plane by positions", x: [1, 32, 14, 14], w: [32, 32, 3, 3], pads: [1, 1, 1, 1]),
        // By positions at stride 2, the windows read in place from the padded copy (`PaddedPlanes`).
        ConvCase(name: "stride 2 to 14x14 by positions, end pads", x: [1, 16, 28, 28], w: [32, 16, 3, 3],
                 strides: [2, 2], pads: [0, 0, 1, 1], bias: true),
        ConvCase(name: "stride 2 by positions, split by channels", x: [1, 64, 29, 31], w: [136, 64, 3, 3],
                 strides: [2, 2], pads: [1, 1, 1, 1]),
        ConvCase(name: "mixed strides and dilation by positions", x: [1, 8, 20, 22], w: [20, 8, 3, 3],
                 strides: [2, 3], dilations: [2, 1], pads: [2, 1, 0, 2], bias: true),
        ConvCase(name: "stride 2 too shallow for positions", x: [1, 4, 28, 28], w: [24, 4, 3, 3], strides: [2, 2],
                 pads: [1, 1, 1, 1]),
        ConvCase(name: "1x1 stride 2 on a narrow plane", x: [1, 128, 14, 14], w: [160, 128, 1, 1], strides: [2, 2]),
        ConvCase(name: "shifted plane, asymmetric same pad", x: [2, 8, 9, 13], w: [5, 8, 3, 2], pads: [2, 0, 0, 1], bias: true),
        ConvCase(name: "stride 1 valid (rows narrower)", x: [1, 40, 23, 21], w: [24, 40, 3, 3]),
        ConvCase(name: "tiled strided 7x7", x: [1, 3, 45, 47], w: [20, 3, 7, 7], strides: [2, 2], pads: [3, 3, 3, 3]),
        ConvCase(name: "wide 1x1 split by columns", x: [1, 32, 30, 30], w: [40, 32, 1, 1], bias: true),
        ConvCase(name: "1x1 on 7x7 split by rows", x: [1, 256, 7, 7], w: [96, 256, 1, 1]),
        // With AVX-512 the last column of a 7×7 plane and the last four of a 14×14 one skip the tiles.
        ConvCase(name: "1x1 on 7x7, last column narrow", x: [1, 40, 7, 7], w: [50, 40, 1, 1], bias: true),
        ConvCase(name: "1x1 on 14x14 split by rows, last columns narrow", x: [1, 300, 14, 14], w: [80, 300, 1, 1]),
        ConvCase(name: "depthwise stride 2 wide", x: [1, 6, 41, 75], w: [6, 1, 3, 3], group: 6, strides: [2, 2], pads: [0, 0, 1, 1], bias: true),
        ConvCase(name: "depthwise stride 1 wide", x: [1, 4, 9, 53], w: [4, 1, 3, 3], group: 4, pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "depthwise stride 2 padded both sides", x: [2, 3, 34, 66], w: [3, 1, 3, 3], group: 3, strides: [2, 2], pads: [1, 1, 1, 1]),
        ConvCase(name: "depthwise small plane 7x7 same pad", x: [1, 5, 7, 7], w: [5, 1, 3, 3], group: 5, pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "depthwise small plane asymmetric pad", x: [2, 4, 14, 11], w: [4, 1, 3, 3], group: 4, pads: [0, 2, 1, 0]),
        ConvCase(name: "depthwise small plane multiplier 2", x: [1, 3, 30, 29], w: [6, 1, 3, 3], group: 3, pads: [1, 1, 1, 1]),
        ConvCase(name: "depthwise small plane valid", x: [1, 2, 5, 33], w: [2, 1, 3, 3], group: 2),
        // With AVX-512, narrow planes go sixteen channels a vector (`DepthwiseChannels.swift`), the rest plane by plane.
        ConvCase(name: "depthwise by channels 7x7 and 8 channels past them", x: [1, 40, 7, 7], w: [40, 1, 3, 3],
                 group: 40, pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "depthwise by channels stride 2 to 7x7, end pads, two images", x: [2, 32, 14, 14],
                 w: [32, 1, 3, 3], group: 32, strides: [2, 2], pads: [0, 0, 1, 1]),
        ConvCase(name: "depthwise by channels 5x3 dilated", x: [1, 16, 9, 12], w: [16, 1, 5, 3], group: 16,
                 strides: [2, 2], dilations: [2, 1], pads: [4, 1, 3, 2], bias: true),
        ConvCase(name: "depthwise by channels in bands", x: [1, 16, 200, 13], w: [16, 1, 3, 3], group: 16,
                 strides: [2, 2], pads: [1, 1, 1, 1]),
    ]

    @Test(arguments: convCases) func convFastPathsMatchNaive(_ c: ConvCase) throws {
        try c.expectMatchesNaive(seed: 11, tolerance: 1e-4)
    }

    /// A narrow plane splits by rows only with six row panels (36 rows) or more a core.
    @Test func narrowPlanesSplitByRowsOnlyWithManyRows() {
        #expect(ConvKernels.splitsByRows(plane: 49, m: 96, threads: 2))
        #expect(ConvKernels.splitsByRows(plane: 196, m: 72, threads: 2))
        #expect(!ConvKernels.splitsByRows(plane: 49, m: 64, threads: 2))
        #expect(!ConvKernels.splitsByRows(plane: 196, m: 32, threads: 2))
        #expect(!ConvKernels.splitsByRows(plane: 784, m: 256, threads: 2))
        #expect(!ConvKernels.splitsByRows(plane: 49, m: 256, threads: 1))
    }

    @Test func tileWidthKeepsColumnsInCacheAndAtLeast256() {
        #expect(ConvKernels.tileColumns(k: 27, plane: 12544) == 1808)
        #expect(ConvKernels.tileColumns(k: 288, plane: 1369) == 256)
        #expect(ConvKernels.tileColumns(k: 4608, plane: 49) == 49)
        #expect(ConvKernels.tileColumns(k: 4608, plane: 3136) == 256)
    }

    @Test func reluKeepsNaNAndZeroesNegativesOnLongTensors() throws {
        // Longer than two 64k blocks (split over threads) and not a multiple of 16 (scalar tail).
        let count = 2 * 65_536 + 37
        var values = KernelHarness.values(count, seed: 21)
        values[5] = .nan
        values[count - 1] = -.infinity
        values[count - 2] = -0.0
        values[count - 3] = .nan
        let y = try KernelHarness.run("Relu", [Tensor(shape: [count], floats: values)])[0].floats
        for (v, r) in zip(values, y) {
            if v.isNaN { #expect(r.isNaN) } else { #expect(r == (v > 0 ? v : 0) && r.sign == .plus) }
        }
    }

    @Test func clipMatchesScalarDefinition() throws {
        let count = 1_000
        var values = KernelHarness.values(count, seed: 22).map { $0 * 10 }
        values[3] = .nan
        values[count - 1] = .infinity
        // In the vector lanes: a zero below the bound 0 by sign only stays itself, infinities meet the bounds.
        values[7] = -0.0
        values[20] = .nan
        values[21] = -.infinity
        values[22] = .infinity
        let x = Tensor(shape: [count], floats: values)
        let both = try KernelHarness.run("Clip", [x, Tensor(scalar: Float(0)), Tensor(scalar: Float(6))], opset: 13)[0].floats
        let low = try KernelHarness.run("Clip", [x, Tensor(scalar: Float(-1))], opset: 13)[0].floats
        for i in 0..<count where !values[i].isNaN {
            #expect(both[i] == min(max(values[i], 0), 6))
            #expect(low[i] == max(values[i], -1))
        }
        #expect(both[3].isNaN && low[3].isNaN && both[20].isNaN && low[20].isNaN)
        #expect(both[7] == 0 && both[7].sign == .minus)
        #expect(both[21] == 0 && both[22] == 6 && low[21] == -1 && low[22] == .infinity)
    }

    @Test func largeBinaryOperationsSplitOverThreadsMatchScalarLoops() throws {
        let count = 2 * 65_536 + 5
        let (a, b) = (KernelHarness.values(count, seed: 41), KernelHarness.values(count, seed: 42))
        let (ta, tb) = (Tensor(shape: [count], floats: a), Tensor(shape: [count], floats: b))
        #expect(try KernelHarness.run("Add", [ta, tb])[0].floats == zip(a, b).map { $0 + $1 })
        #expect(try KernelHarness.run("Sub", [ta, Tensor(scalar: Float(0.25))])[0].floats == a.map { $0 - 0.25 })
        #expect(try KernelHarness.run("Div", [Tensor(scalar: Float(3)), tb])[0].floats == b.map { 3 / $0 })
        let ints = Tensor(shape: [count], scalars: (0..<count).map { Int64($0) })
        #expect(try KernelHarness.run("Mul", [ints, ints])[0].scalars(as: Int64.self) == (0..<count).map { Int64($0 * $0) })
    }

    @Test func constantPadCopiesRowsAndFillsBorders() throws {
        let x = KernelHarness.tensor([2, 3, 5, 7], seed: 23)
        let pads: [Int64] = [0, 1, 2, 1, 0, 0, 1, 3]
        let y = try KernelHarness.run("Pad", [x, ints(pads), Tensor(scalar: Float(-2))], opset: 13)[0]
        #expect(y.shape == [2, 4, 8, 11])
        let (xs, ys) = (x.floats, y.floats)
        for n in 0..<2 { for c in 0..<4 { for h in 0..<8 { for w in 0..<11 {
            let (ic, ih, iw) = (c - 1, h - 2, w - 1)
            let inside = ic >= 0 && ic < 3 && ih >= 0 && ih < 5 && iw >= 0 && iw < 7
            let expected = inside ? xs[((n * 3 + ic) * 5 + ih) * 7 + iw] : -2
            #expect(ys[((n * 4 + c) * 8 + h) * 11 + w] == expected)
        } } } }
    }

    /// Freed blocks are recycled by size: fill some with NaN, free them, and check that kernels whose outputs
    /// reuse such blocks overwrite every element.
    @Test func recycledOutputsAreFullyWritten() throws {
        let shape = [1, 16, 32, 32]  // 64 KB, the smallest recycled size
        for _ in 0..<8 { _ = Tensor(shape: shape, repeating: .nan) }
        let x = KernelHarness.tensor(shape, seed: 24)
        let outputs = [
            try KernelHarness.run("Conv", [x, KernelHarness.tensor([16, 16, 3, 3], seed: 25)], ["pads": .ints([1, 1, 1, 1])])[0],
            try KernelHarness.run("Relu", [x])[0],
            try KernelHarness.run("Clip", [x, Tensor(scalar: Float(-0.5)), Tensor(scalar: Float(0.5))], opset: 13)[0],
            try KernelHarness.run("Add", [x, x])[0],
            try KernelHarness.run("Mul", [x, KernelHarness.tensor([1, 16, 1, 1], seed: 26)])[0],
            try KernelHarness.run("BatchNormalization", [x] + (0..<4).map { KernelHarness.tensor([16], seed: 27 + UInt64($0)).abs() })[0],
        ]
        for y in outputs {
            #expect(y.shape == shape)
            let finite = y.floats.allSatisfy { $0.isFinite }
            #expect(finite)
        }
        let u = Tensor.uninitialized(shape: [3, 5])
        #expect(u.shape == [3, 5] && u.count == 15 && u.dtype == .float32)
    }

    /// x → Conv(w = ConstantOfShape(shape)) → Relu: the constant branch is computed once by the plan, recorded by
    /// every run, and runs of one plan give the same values as unprepared runs.
    @Test func planFoldsConstantsAndRecordsThemEveryRun() throws {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "weights", opType: "ConstantOfShape", inputs: ["wshape"], outputs: ["w"],
                     attributes: ["value": .tensor(Tensor(shape: [1], floats: [0.5]))]),
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: ["pads": .ints([1, 1, 1, 1])]),
                Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["y"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32, shape: [.value(1), .value(2), .value(5), .value(5)]))],
            outputs: [ValueInfo(name: "y")],
            initializers: ["wshape": ints([3, 2, 3, 3])],
            opsets: ["": 13])
        let model = Model(graph: graph, format: .onnx, path: "g.onnx")
        let plan = try ExecutionPlan(model)
        #expect(plan.foldedNodeCount == 1)
        let x = KernelHarness.tensor([1, 2, 5, 5], seed: 31)
        let direct = try Executor.run(model, inputs: ["x": x])
        for _ in 0..<2 {
            let trace = try Executor.run(plan, inputs: ["x": x])
            #expect(trace.order == ["x", "w", "c", "y"])
            #expect(trace.tensor(named: "w") == direct.tensor(named: "w"))
            #expect(trace.tensor(named: "y") == direct.tensor(named: "y"))
            #expect(trace.timings.map(\.op) == ["ConstantOfShape", "Conv", "Relu"])
        }
        let plain = try Executor.run(plan, inputs: ["x": x], record: false)
        #expect(Set(plain.order) == ["x", "y"])
        #expect(plain.tensor(named: "y") == direct.tensor(named: "y"))
    }

    /// x → BatchNormalization → b → Relu → r, and b → Add(b, r) → y: the Relu is computed with the normalisation in
    /// one pass; every value must equal the kernels run one by one.
    @Test func batchNormReluPairRecordsTheSameValuesAsSeparateKernels() throws {
        let c = 6
        let params = (0..<4).map { KernelHarness.tensor([c], seed: 50 + UInt64($0)) }
        var initializers: [String: Tensor] = [:]
        for (name, t) in zip(["s", "bias", "mean", "var"], params) { initializers[name] = name == "var" ? t.abs() : t }
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "bn", opType: "BatchNormalization", inputs: ["x", "s", "bias", "mean", "var"], outputs: ["b"]),
                Node(name: "relu", opType: "Relu", inputs: ["b"], outputs: ["r"]),
                Node(name: "add", opType: "Add", inputs: ["b", "r"], outputs: ["y"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "y")],
            initializers: initializers,
            opsets: ["": 13])
        let x = KernelHarness.tensor([2, c, 9, 11], seed: 55)
        let b = try KernelHarness.run("BatchNormalization", [x, initializers["s"], initializers["bias"],
                                                             initializers["mean"], initializers["var"]])[0]
        let r = try KernelHarness.run("Relu", [b])[0]
        let y = try KernelHarness.run("Add", [b, r])[0]
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].fusedRelu == plan.slots["r"])
        for record in [true, false] {
            let trace = try Executor.run(plan, inputs: ["x": x], record: record)
            #expect(trace.tensor(named: "y") == y)
            if record {
                #expect(trace.tensor(named: "b") == b && trace.tensor(named: "r") == r)
                #expect(trace.order == ["x", "b", "r", "y"])
            }
        }
    }
}

private extension Tensor {
    func abs() -> Tensor { Tensor(shape: shape, floats: floats.map { Swift.abs($0) + 0.1 }) }
}

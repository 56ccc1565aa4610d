import Testing
import StrataCore
@testable import Runtime

/// Conv epilogues (ConvFusion.swift): the nodes computed by the Conv kernel on its output tiles must record the
/// values their own kernels give, bit for bit, on every conv path (pointwise tiled and single-tile, im2col tiled
/// and single-tile, grouped, depthwise row-wise and small-plane), with and without recording; without recording,
/// an op writes over the value it reads where nothing else reads it.
@Suite struct ConvFusionTests {
    struct FusionCase: CustomTestStringConvertible, Sendable {
        var name: String
        var x: [Int], w: [Int]
        var group = 1, pads = [0, 0, 0, 0], bias = false
        var testDescription: String { name }
    }

    static let cases: [FusionCase] = [
        // k = 4, m = 300: 1×1 tiles of 240 columns over 1,600.
        FusionCase(name: "pointwise, tiled", x: [1, 4, 40, 40], w: [300, 4, 1, 1]),
        FusionCase(name: "pointwise, one tile, batch 2", x: [2, 16, 7, 7], w: [24, 16, 1, 1], bias: true),
        // k = 288: im2col tiles of 256 columns over 1,369.
        FusionCase(name: "im2col, tiled", x: [1, 32, 37, 37], w: [16, 32, 3, 3], pads: [1, 1, 1, 1], bias: true),
        FusionCase(name: "im2col, one tile", x: [1, 16, 7, 7], w: [24, 16, 3, 3], pads: [1, 1, 1, 1]),
        FusionCase(name: "grouped, batch 2", x: [2, 8, 9, 9], w: [6, 4, 3, 3], group: 2, pads: [1, 0, 1, 0]),
        FusionCase(name: "depthwise, small plane", x: [1, 6, 14, 14], w: [6, 1, 3, 3], group: 6, pads: [1, 1, 1, 1]),
        FusionCase(name: "depthwise, row-wise", x: [2, 3, 20, 40], w: [3, 1, 3, 3], group: 3, pads: [1, 1, 1, 1], bias: true),
    ]

    /// x → Conv → c → BatchNormalization → b → Relu → r, and c → Mul([1, M, 1, 1]) → m → Clip(0, 0.5) → k →
    /// Add(scalar, k) → a: the plan fuses the first chain it finds from the conv (BatchNormalization, Relu; the Mul
    /// reads the conv output too but starts another chain), and every value equals the kernels run one after
    /// another.
    @Test(arguments: cases) func epilogueValuesEqualSeparateKernels(_ c: FusionCase) throws {
        let m = c.w[0]
        var initializers: [String: Tensor] = ["w": KernelHarness.tensor(c.w, seed: 61)]
        if c.bias { initializers["bias"] = KernelHarness.tensor([m], seed: 62) }
        for (i, name) in ["s", "beta", "mean", "var"].enumerated() {
            let t = KernelHarness.tensor([m], seed: 63 + UInt64(i))
            initializers[name] = name == "var" ? Tensor(shape: [m], floats: t.floats.map { abs($0) + 0.1 }) : t
        }
        initializers["factor"] = KernelHarness.tensor([1, m, 1, 1], seed: 67)
        initializers["low"] = Tensor(scalar: Float(0))
        initializers["high"] = Tensor(scalar: Float(0.5))
        initializers["term"] = Tensor(scalar: Float(0.25))
        let nodes = [
            Node(name: "conv", opType: "Conv", inputs: ["x", "w"] + (c.bias ? ["bias"] : []), outputs: ["c"],
                 attributes: ["group": .int(c.group), "pads": .ints(c.pads)]),
            Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "s", "beta", "mean", "var"], outputs: ["b"]),
            Node(name: "relu", opType: "Relu", inputs: ["b"], outputs: ["r"]),
            Node(name: "mul", opType: "Mul", inputs: ["c", "factor"], outputs: ["m"]),
            Node(name: "clip", opType: "Clip", inputs: ["m", "low", "high"], outputs: ["k"]),
            Node(name: "add", opType: "Add", inputs: ["term", "k"], outputs: ["a"]),
        ]
        let graph = Graph(name: "g", nodes: nodes, inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
                          outputs: [ValueInfo(name: "r"), ValueInfo(name: "a")], initializers: initializers,
                          opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogue.count == 2 && plan.steps[0].epilogueOutputs == [plan.slots["b"]!, plan.slots["r"]!])
        #expect(plan.steps.map(\.computedAhead) == [false, true, true, false, false, false])
        // The Mul reads the conv output too: only the Relu may write over its input.
        #expect(plan.steps[0].epilogueInPlace == [false, true])

        let x = KernelHarness.tensor(c.x, seed: 68)
        let conv = try KernelHarness.run("Conv", [x, initializers["w"], initializers["bias"]],
                                         ["group": .int(c.group), "pads": .ints(c.pads)])[0]
        let b = try KernelHarness.run("BatchNormalization", [conv] + ["s", "beta", "mean", "var"].map { initializers[$0] })[0]
        let r = try KernelHarness.run("Relu", [b])[0]
        let mul = try KernelHarness.run("Mul", [conv, initializers["factor"]])[0]
        let k = try KernelHarness.run("Clip", [mul, initializers["low"], initializers["high"]], opset: 13)[0]
        let a = try KernelHarness.run("Add", [initializers["term"], k])[0]
        for record in [true, false] {
            let trace = try Executor.run(plan, inputs: ["x": x], record: record)
            #expect(trace.tensor(named: "r") == r && trace.tensor(named: "a") == a)
            if record {
                #expect(trace.tensor(named: "c") == conv && trace.tensor(named: "b") == b)
                #expect(trace.tensor(named: "m") == mul && trace.tensor(named: "k") == k)
                #expect(trace.order == ["x", "c", "b", "r", "m", "k", "a"])
                #expect(trace.timings.map(\.op) == nodes.map(\.opType))
            }
        }
    }

    /// x → Conv → c → Add(skip) → s → Relu → y, on convs whose tiles compute flat rows copied out to the planes
    /// channel by channel, the epilogue after each (a stem-like stride-2 conv from 3 channels, a 16-channel 3×3 at
    /// 28×28): recorded or not, every value is the one the kernels give run one after another.
    @Test(arguments: [([1, 3, 64, 64], [16, 3, 3, 3], 2), ([1, 16, 28, 28], [16, 16, 3, 3], 1)])
    func shiftedConvEpilogueRunsPerChannel(_ x: [Int], _ w: [Int], _ stride: Int) throws {
        let attributes: [String: Attribute] = ["pads": .ints([1, 1, 1, 1]), "strides": .ints([stride, stride])]
        let out = (x[2] + 2 - 3) / stride + 1
        let initializers = ["w": KernelHarness.tensor(w, seed: 81), "bias": KernelHarness.tensor([w[0]], seed: 82)]
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w", "bias"], outputs: ["c"], attributes: attributes),
                Node(name: "add", opType: "Add", inputs: ["c", "skip"], outputs: ["s"]),
                Node(name: "relu", opType: "Relu", inputs: ["s"], outputs: ["y"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32)),
                     ValueInfo(name: "skip", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "y")], initializers: initializers, opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogueInPlace == [true, true])
        let inputs = ["x": KernelHarness.tensor(x, seed: 83), "skip": KernelHarness.tensor([1, w[0], out, out], seed: 84)]
        let conv = try KernelHarness.run("Conv", [inputs["x"], initializers["w"], initializers["bias"]], attributes)[0]
        let sum = try KernelHarness.run("Add", [conv, inputs["skip"]])[0]
        let y = try KernelHarness.run("Relu", [sum])[0]
        let recorded = try Executor.run(plan, inputs: inputs)
        #expect(recorded.tensor(named: "c") == conv && recorded.tensor(named: "s") == sum)
        #expect(recorded.tensor(named: "y") == y)
        #expect(try Executor.run(plan, inputs: inputs, record: false).tensor(named: "y") == y)
    }

    /// MobileNet's depthwise block: Conv → Mul → Clip (lower bound only) → Add, all fused, batch 2 and one image
    /// of 5 × 240²: a recording run writes the chain in place and keeps every value as the way to compute it, the
    /// conv output as the conv to run again (`DepthwiseRecipes.swift`).
    @Test(arguments: [[2, 5, 7, 9], [1, 5, 240, 232]]) func depthwiseMulClipChainIsFusedAndExact(_ shape: [Int]) throws {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "dw", opType: "Conv", inputs: ["x", "w"], outputs: ["c"],
                     attributes: ["group": .int(5), "pads": .ints([1, 1, 1, 1])]),
                Node(name: "mul", opType: "Mul", inputs: ["c", "factor"], outputs: ["m"]),
                Node(name: "clip", opType: "Clip", inputs: ["m", "low"], outputs: ["k"]),
                Node(name: "add", opType: "Add", inputs: ["k", "shift"], outputs: ["y"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "y")],
            initializers: ["w": KernelHarness.tensor([5, 1, 3, 3], seed: 71), "factor": KernelHarness.tensor([5, 1, 1], seed: 72),
                           "shift": KernelHarness.tensor([1, 5, 1, 1], seed: 73), "low": Tensor(scalar: Float(-0.5))],
            opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogue == [.multiply(graph.initializers["factor"]!.floats), .clip(low: -0.5, high: nil),
                                           .add(graph.initializers["shift"]!.floats)])
        let x = KernelHarness.tensor(shape, seed: 74)
        let trace = try Executor.run(plan, inputs: ["x": x])
        #expect(plan.steps[0].recordedAsRecipes)
        #expect(trace.isDeferred("c") && trace.isDeferred("m") && trace.isDeferred("k") && trace.isDeferred("y"))
        let conv = try KernelHarness.run("Conv", [x, graph.initializers["w"]], ["group": .int(5), "pads": .ints([1, 1, 1, 1])])[0]
        let m = try KernelHarness.run("Mul", [conv, graph.initializers["factor"]])[0]
        let k = try KernelHarness.run("Clip", [m, graph.initializers["low"]], opset: 13)[0]
        // Measured from the recipes, before anything computes the values.
        #expect(trace.stats(named: "m") == TensorStats(m) && trace.stats(named: "k") == TensorStats(k))
        let y = try KernelHarness.run("Add", [k, graph.initializers["shift"]])[0]
        #expect(trace.tensor(named: "c") == conv && trace.tensor(named: "m") == m)
        #expect(trace.tensor(named: "k") == k && trace.tensor(named: "y") == y)
        #expect(plan.steps[0].epilogueInPlace == [true, true, true])
        #expect(try Executor.run(plan, inputs: ["x": x], record: false).tensor(named: "y") == y)
    }

    /// An op writes over the value it reads only where nothing else needs that value: here the Relu's output is a
    /// graph output, so the Clip after it writes a tensor of its own, and both outputs hold their own values. A
    /// recording run keeps the conv output the Relu overwrites in a tensor of its own.
    @Test(arguments: [[1, 3, 12, 10], [1, 3, 128, 128]]) func chainWritesInPlaceOnlyOverValuesNothingElseReads(_ shape: [Int]) throws {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["c"], attributes: ["pads": .ints([1, 1, 1, 1])]),
                Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["r"]),
                Node(name: "clip", opType: "Clip", inputs: ["r", "low", "high"], outputs: ["k"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "r"), ValueInfo(name: "k")],
            initializers: ["w": KernelHarness.tensor([16, 3, 3, 3], seed: 75), "b": KernelHarness.tensor([16], seed: 76),
                           "low": Tensor(scalar: Float(0.1)), "high": Tensor(scalar: Float(0.4))],
            opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogueInPlace == [true, false])
        let x = KernelHarness.tensor(shape, seed: 77)
        let c = try KernelHarness.run("Conv", [x, graph.initializers["w"], graph.initializers["b"]],
                                      ["pads": .ints([1, 1, 1, 1])])[0]
        let r = try KernelHarness.run("Relu", [c])[0]
        let k = try KernelHarness.run("Clip", [r, graph.initializers["low"], graph.initializers["high"]], opset: 13)[0]
        for record in [false, true] {
            let trace = try Executor.run(plan, inputs: ["x": x], record: record)
            #expect(trace.tensor(named: "r") == r && trace.tensor(named: "k") == k)
            #expect(trace.tensor(named: "c") == (record ? c : nil))
        }
    }

    /// A residual block's tail, x → Conv → BatchNormalization → Add(shortcut) → Relu, with the shortcut on either
    /// side of the sum (Add, two-input Sum); a shortcut another conv computes after this one is summed by that
    /// conv; an Add whose other operand broadcasts ([1, M, 1, 1], known only at run time) ends the chain and runs
    /// on its own. Every value equals the kernels run one after another, with and without recording, at 2 × 9 × 11
    /// and 215²; a recording run keeps the normalised value and the sum as the way to compute them, and the Relu
    /// after the sum as a tensor (a shortcut lies between it and the conv output).
    @Test(arguments: [false, true], [false, true]) func residualSumIsFusedAndExact(_ shortcutFirst: Bool, large: Bool) throws {
        let convAttributes: [String: Attribute] = ["pads": .ints([1, 1, 1, 1])]
        var initializers: [String: Tensor] = ["w": KernelHarness.tensor([6, 6, 3, 3], seed: 91),
                                              "v": KernelHarness.tensor([6, 6, 1, 1], seed: 92)]
        for (i, name) in ["s", "beta", "mean", "var"].enumerated() {
            let t = KernelHarness.tensor([6], seed: 93 + UInt64(i))
            initializers[name] = name == "var" ? Tensor(shape: [6], floats: t.floats.map { abs($0) + 0.1 }) : t
        }
        let nodes = [
            Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: convAttributes),
            Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "s", "beta", "mean", "var"], outputs: ["b"]),
            Node(name: "sum", opType: shortcutFirst ? "Sum" : "Add", inputs: shortcutFirst ? ["x", "b"] : ["b", "x"],
                 outputs: ["a"]),
            Node(name: "relu", opType: "Relu", inputs: ["a"], outputs: ["r"]),
            Node(name: "early", opType: "Conv", inputs: ["r", "v"], outputs: ["e"]),
            Node(name: "late", opType: "Conv", inputs: ["r", "w"], outputs: ["l"], attributes: convAttributes),
            Node(name: "join", opType: "Add", inputs: ["e", "l"], outputs: ["j"]),
            Node(name: "scale", opType: "Add", inputs: ["j", "z"], outputs: ["y"]),
        ]
        let graph = Graph(name: "g", nodes: nodes,
                          inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32)),
                                   ValueInfo(name: "z", type: TensorType(dtype: .float32))],
                          outputs: [ValueInfo(name: "y")], initializers: initializers, opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        let slot = { plan.slots[$0]! }
        #expect(plan.steps[0].epilogueOutputs == [slot("b"), slot("a"), slot("r")])
        #expect(plan.steps[0].epilogue[1] == .addTensor(slot: slot("x"), first: !shortcutFirst))
        // "early" runs before "late" computes the other operand of "join": "late" sums it.
        #expect(plan.steps[4].epilogue.isEmpty)
        #expect(plan.steps[5].epilogue == [.addTensor(slot: slot("e"), first: false), .addTensor(slot: slot("z"), first: true)])
        // Without recording, each chain writes one tensor: "r" is read by two convs, "y" is the graph output.
        #expect(plan.steps[0].epilogueInPlace == [true, true, true] && plan.steps[5].epilogueInPlace == [true, true])

        let x = KernelHarness.tensor(large ? [1, 6, 215, 215] : [2, 6, 9, 11], seed: 97)
        let z = KernelHarness.tensor([1, 6, 1, 1], seed: 98)
        let c = try KernelHarness.run("Conv", [x, initializers["w"]], convAttributes)[0]
        let b = try KernelHarness.run("BatchNormalization", [c] + ["s", "beta", "mean", "var"].map { initializers[$0] })[0]
        let a = try KernelHarness.run("Add", shortcutFirst ? [x, b] : [b, x])[0]
        let r = try KernelHarness.run("Relu", [a])[0]
        let e = try KernelHarness.run("Conv", [r, initializers["v"]])[0]
        let l = try KernelHarness.run("Conv", [r, initializers["w"]], convAttributes)[0]
        let j = try KernelHarness.run("Add", [e, l])[0]
        let y = try KernelHarness.run("Add", [j, z])[0]
        for record in [true, false] {
            let trace = try Executor.run(plan, inputs: ["x": x, "z": z], record: record)
            #expect(trace.tensor(named: "y") == y)
            if record {
                #expect(trace.tensor(named: "c") == c && trace.tensor(named: "b") == b && trace.tensor(named: "a") == a)
                #expect(trace.tensor(named: "r") == r && trace.tensor(named: "e") == e && trace.tensor(named: "l") == l)
                #expect(trace.tensor(named: "j") == j)
                #expect(trace.order == ["x", "z", "c", "b", "a", "r", "e", "l", "j", "y"])
                #expect(trace.isDeferred("b") && trace.isDeferred("a") && !trace.isDeferred("r") && !trace.isDeferred("y"))
            }
        }
    }

    /// Followers that must stay separate: a Mul by a graph input, an Add that broadcasts to a larger shape, a Mul
    /// whose constant varies along a spatial axis.
    @Test func nonElementwiseFollowersAreNotFused() throws {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"]),
                Node(name: "mulInput", opType: "Mul", inputs: ["c", "z"], outputs: ["p"]),
                Node(name: "addWide", opType: "Add", inputs: ["c", "wide"], outputs: ["q"]),
                Node(name: "mulSpatial", opType: "Mul", inputs: ["c", "row"], outputs: ["s"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32)), ValueInfo(name: "z", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "p"), ValueInfo(name: "q"), ValueInfo(name: "s")],
            initializers: ["w": KernelHarness.tensor([4, 3, 1, 1], seed: 81), "wide": KernelHarness.tensor([2, 1, 1, 1, 1], seed: 82),
                           "row": KernelHarness.tensor([1, 1, 5, 1], seed: 83)],
            opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogue.isEmpty)
        #expect(!plan.steps.contains { $0.computedAhead })
    }

    /// An Add of a graph input is fused as a shortcut sum; fed a tensor that broadcasts, it runs on its own and the
    /// chain is left with no op, at either size of output.
    @Test(arguments: [[1, 3, 6, 5], [1, 3, 128, 128]]) func shortcutThatBroadcastsEndsTheChainAtItsStart(_ shape: [Int]) throws {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"]),
                Node(name: "add", opType: "Add", inputs: ["c", "z"], outputs: ["a"]),
                Node(name: "relu", opType: "Relu", inputs: ["a"], outputs: ["r"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32)), ValueInfo(name: "z", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "r")],
            initializers: ["w": KernelHarness.tensor([16, 3, 1, 1], seed: 87)],
            opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogue == [.addTensor(slot: plan.slots["z"]!, first: true), .relu])
        let (x, z) = (KernelHarness.tensor(shape, seed: 88), KernelHarness.tensor([1, 16, 1, 1], seed: 89))
        let c = try KernelHarness.run("Conv", [x, graph.initializers["w"]])[0]
        let a = try KernelHarness.run("Add", [c, z])[0]
        let r = try KernelHarness.run("Relu", [a])[0]
        for record in [true, false] {
            let trace = try Executor.run(plan, inputs: ["x": x, "z": z], record: record)
            #expect(trace.tensor(named: "r") == r)
            if record { #expect(trace.tensor(named: "c") == c && trace.tensor(named: "a") == a) }
        }
    }

    @Test func pointwiseTilesAreEvenAndFitTheCache() {
        #expect(ConvKernels.pointwiseColumns(k: 4, m: 300, plane: 1600) == 240)
        #expect(ConvKernels.pointwiseColumns(k: 16, m: 96, plane: 12544) == 672)
        #expect(ConvKernels.pointwiseColumns(k: 64, m: 256, plane: 196) == 196)
        #expect(ConvKernels.pointwiseColumns(k: 512, m: 128, plane: 784) == 208)
    }
}

import Testing
import StrataCore
@testable import Runtime

/// A Clip at the end of a Conv's chain that a recording run leaves to the depthwise Convs reading it
/// (ClipOnRead.swift): the run writes the conv output, the readers clamp it as they read it, and the Clip and a
/// Pad after it are recorded as the way to compute them. Every value equals the kernels run one after another,
/// and a recording run computes the same outputs as a run that does not record.
@Suite struct ClipOnReadTests {
    /// x → Conv → c → Clip(low, high) → k, read by a stride-1 depthwise Conv → e and, through a bottom-right Pad
    /// → p (folded into its reader), by a stride-2 depthwise Conv → d; `extra` nodes are added after them.
    static func graph(low: Float, high: Float, extra: [Node] = [], outputs: [String] = ["d", "e"],
                      channels: Int = 8) -> Graph {
        let nodes = [
            Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: ["pads": .ints([1, 1, 1, 1])]),
            Node(name: "clip", opType: "Clip", inputs: ["c", "low", "high"], outputs: ["k"]),
            Node(name: "pad", opType: "Pad", inputs: ["k", "pads"], outputs: ["p"]),
            Node(name: "down", opType: "Conv", inputs: ["p", "wd"], outputs: ["d"],
                 attributes: ["group": .int(channels), "strides": .ints([2, 2])]),
            Node(name: "same", opType: "Conv", inputs: ["k", "we"], outputs: ["e"],
                 attributes: ["group": .int(channels), "pads": .ints([1, 1, 1, 1])]),
        ] + extra
        let initializers: [String: Tensor] = [
            "w": KernelHarness.tensor([channels, 3, 3, 3], seed: 81),
            "wd": KernelHarness.tensor([channels, 1, 3, 3], seed: 82),
            "we": KernelHarness.tensor([channels, 1, 3, 3], seed: 83),
            "wf": KernelHarness.tensor([4, channels, 1, 1], seed: 84),
            "low": Tensor(scalar: low), "high": Tensor(scalar: high), "pads": ints([0, 0, 0, 0, 0, 0, 1, 1]),
        ]
        return Graph(name: "g", nodes: nodes, inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
                     outputs: outputs.map { ValueInfo(name: $0) }, initializers: initializers, opsets: ["": 13])
    }

    /// Bounds holding zero (ReLU6) and bounds that do not, where the padding must stay zero, not the clamped
    /// zero; planes narrower than 32 outputs (`Depthwise.smallPlanes3x3`) and wider (the row-wise path); with 24
    /// channels and AVX-512, narrow planes sixteen channels a vector (`DepthwiseChannels.swift`).
    @Test(arguments: [(Float(0), Float(6)), (Float(0.1), Float(0.4))],
          [([1, 3, 10, 12], 8), ([2, 3, 40, 36], 8), ([1, 3, 7, 7], 24), ([2, 3, 14, 12], 24)])
    func readersClampTheConvOutputAndTheClipIsRecordedAsItsRecipe(_ bounds: (Float, Float),
                                                                  _ input: (shape: [Int], channels: Int)) throws {
        let shape = input.shape
        let g = Self.graph(low: bounds.0, high: bounds.1, channels: input.channels)
        let plan = try ExecutionPlan(Model(graph: g, format: .onnx, path: "g.onnx"))
        let clip = ClipBounds(low: bounds.0, high: bounds.1)
        #expect(plan.steps[0].clipByReaders && plan.steps[0].epilogue == [.clip(low: bounds.0, high: bounds.1)])
        #expect(plan.steps[2].paddedByReaders && plan.steps.map(\.clipOnRead) == [nil, nil, clip, clip, clip])

        let x = KernelHarness.tensor(shape, seed: 85)
        let c = try KernelHarness.run("Conv", [x, g.initializers["w"]], ["pads": .ints([1, 1, 1, 1])])[0]
        let k = try KernelHarness.run("Clip", [c, g.initializers["low"], g.initializers["high"]], opset: 13)[0]
        let p = try KernelHarness.run("Pad", [k, g.initializers["pads"]], opset: 13)[0]
        let d = try KernelHarness.run("Conv", [p, g.initializers["wd"]], g.nodes[3].attributes)[0]
        let e = try KernelHarness.run("Conv", [k, g.initializers["we"]], g.nodes[4].attributes)[0]
        let plain = try Executor.run(plan, inputs: ["x": x], record: false)
        let recorded = try Executor.run(plan, inputs: ["x": x], record: true)
        #expect(recorded.isDeferred("k") && recorded.isDeferred("p") && !recorded.isDeferred("c"))
        // Measured from the recipe, before anything computes the value.
        #expect(recorded.stats(named: "k") == TensorStats(k))
        #expect(recorded.tensor(named: "c") == c && recorded.tensor(named: "k") == k && recorded.tensor(named: "p") == p)
        #expect(recorded.order == ["x", "c", "k", "p", "d", "e"])
        for name in ["d", "e"] { #expect(recorded.tensor(named: name) == plain.tensor(named: name)) }
        #expect(recorded.tensor(named: "e") == e)
        let down = try #require(recorded.tensor(named: "d"))
        #expect(down.shape == d.shape && KernelHarness.close(down.floats, d.floats, tolerance: 1e-6))
    }

    /// A Clip that a reader other than a depthwise Conv reads (a 1×1 Conv, a Relu), or that the graph outputs,
    /// stays in the chain.
    @Test(arguments: [
        ([Node(name: "full", opType: "Conv", inputs: ["k", "wf"], outputs: ["f"])], ["d", "e", "f"]),
        ([Node(name: "relu", opType: "Relu", inputs: ["k"], outputs: ["r"])], ["d", "e", "r"]),
        ([], ["d", "e", "k"]),
    ])
    func otherReadersKeepTheClip(_ extra: [Node], _ outputs: [String]) throws {
        let g = Self.graph(low: 0, high: 6, extra: extra, outputs: outputs)
        let plan = try ExecutionPlan(Model(graph: g, format: .onnx, path: "g.onnx"))
        #expect(!plan.steps[0].clipByReaders && plan.steps.allSatisfy { $0.clipOnRead == nil })
        let x = KernelHarness.tensor([1, 3, 10, 12], seed: 86)
        let recorded = try Executor.run(plan, inputs: ["x": x], record: true)
        let plain = try Executor.run(plan, inputs: ["x": x], record: false)
        for name in outputs { #expect(recorded.tensor(named: name) == plain.tensor(named: name)) }
    }
}

import Testing
import StrataCore
@testable import Runtime

/// A depthwise Conv's chain that a recording run keeps as the conv to run again and the ops after it
/// (`DepthwiseRecipes.swift`): the run writes the chain in place as a run that does not record does, and every
/// value, computed when asked for, equals the kernels run one after another.
@Suite struct DepthwiseRecipesTests {
    /// MobileNet's stride-2 block: a Clip left to the depthwise readers, a Pad folded into the stride-2 depthwise
    /// Conv, and a Relu after that conv: the conv runs again with the Pad's padding and the Clip's bounds.
    @Test(arguments: [[1, 3, 10, 12], [2, 3, 40, 36]]) func depthwiseChainIsRecordedAsTheConvToRunAgain(_ shape: [Int]) throws {
        let relu = Node(name: "relu", opType: "Relu", inputs: ["d"], outputs: ["r"])
        let g = ClipOnReadTests.graph(low: 0, high: 6, extra: [relu], outputs: ["r", "e"])
        let plan = try ExecutionPlan(Model(graph: g, format: .onnx, path: "g.onnx"))
        #expect(plan.steps.map(\.recordedAsRecipes) == [false, false, false, true, false, false])
        #expect(plan.steps[3].epilogue == [.relu] && plan.steps[2].paddedByReaders)

        let x = KernelHarness.tensor(shape, seed: 87)
        let c = try KernelHarness.run("Conv", [x, g.initializers["w"]], ["pads": .ints([1, 1, 1, 1])])[0]
        let k = try KernelHarness.run("Clip", [c, g.initializers["low"], g.initializers["high"]], opset: 13)[0]
        let p = try KernelHarness.run("Pad", [k, g.initializers["pads"]], opset: 13)[0]
        let d = try KernelHarness.run("Conv", [p, g.initializers["wd"]], g.nodes[3].attributes)[0]
        let r = try KernelHarness.run("Relu", [d])[0]
        let recorded = try Executor.run(plan, inputs: ["x": x], record: true)
        #expect(recorded.isDeferred("d") && recorded.isDeferred("r") && !recorded.isDeferred("c"))
        // Measured from the recipes first, then computed.
        let (stats, reluStats) = (recorded.stats(named: "d"), recorded.stats(named: "r"))
        let down = try #require(recorded.tensor(named: "d")), relued = try #require(recorded.tensor(named: "r"))
        #expect(stats == TensorStats(down) && reluStats == TensorStats(relued))
        // The conv reads the Pad as its own padding: the same sums, not always in the same order.
        #expect(down.shape == d.shape && KernelHarness.close(down.floats, d.floats, tolerance: 1e-6))
        #expect(relued.shape == r.shape && KernelHarness.close(relued.floats, r.floats, tolerance: 1e-6))
        #expect(try Executor.run(plan, inputs: ["x": x], record: false).tensor(named: "r") == relued)
        #expect(recorded.producer(of: "d") == 3 && recorded.producer(of: "r") == 5)
    }

    /// A depthwise conv whose output another node reads, and one whose chain adds a tensor, are written as usual.
    @Test func chainsThatAreNotInPlaceOrAddATensorAreWritten() throws {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "dw", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: ["group": .int(4)]),
                Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["r"]),
                Node(name: "dw2", opType: "Conv", inputs: ["x", "w"], outputs: ["c2"], attributes: ["group": .int(4)]),
                Node(name: "sum", opType: "Add", inputs: ["c2", "r"], outputs: ["y"]),
            ],
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
            outputs: [ValueInfo(name: "c"), ValueInfo(name: "y")],
            initializers: ["w": KernelHarness.tensor([4, 1, 3, 3], seed: 88)],
            opsets: ["": 13])
        let plan = try ExecutionPlan(Model(graph: graph, format: .onnx, path: "g.onnx"))
        #expect(plan.steps[0].epilogue == [.relu] && plan.steps[0].epilogueInPlace == [false])
        #expect(plan.steps[2].epilogue.count == 1 && !plan.steps.contains { $0.recordedAsRecipes })
        let x = KernelHarness.tensor([1, 4, 9, 9], seed: 89)
        let recorded = try Executor.run(plan, inputs: ["x": x], record: true)
        #expect(!recorded.isDeferred("c") && !recorded.isDeferred("c2") && !recorded.isDeferred("y"))
        let c = try KernelHarness.run("Conv", [x, graph.initializers["w"]], ["group": .int(4)])[0]
        let y = try KernelHarness.run("Add", [c, try KernelHarness.run("Relu", [c])[0]])[0]
        #expect(recorded.tensor(named: "c") == c && recorded.tensor(named: "y") == y)
    }
}

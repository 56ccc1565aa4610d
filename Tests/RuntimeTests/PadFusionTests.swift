import Testing
import StrataCore
@testable import Runtime

/// Zero padding folded into the Convs that read it (PadFusion.swift): the convs give the values of Pad then Conv,
/// the padded tensor is recorded with the Pad kernel's values (computed when asked for), and every other Pad runs
/// as a node of its own.
@Suite struct PadFusionTests {
    /// x → Pad(p) → padded, read by a stride-2 depthwise Conv (no padding of its own, as after Keras'
    /// `ZeroPadding2D`) and by a Conv with padding [1, 1, 1, 1]; `extra` nodes are added after them.
    static func graph(pad: Node, opset: Int = 13, padInputs: [String: Tensor], extra: [Node] = [],
                      outputs: [String] = ["dw", "full"], convAttributes: [String: Attribute] = ["pads": .ints([1, 1, 1, 1])])
        -> Graph {
        var initializers = padInputs
        initializers["wdw"] = KernelHarness.tensor([3, 1, 3, 3], seed: 71)
        initializers["w"] = KernelHarness.tensor([4, 3, 3, 3], seed: 72)
        initializers["b"] = KernelHarness.tensor([4], seed: 73)
        let nodes = [
            pad,
            Node(name: "dw", opType: "Conv", inputs: ["padded", "wdw"], outputs: ["dw"],
                 attributes: ["group": .int(3), "strides": .ints([2, 2])]),
            Node(name: "full", opType: "Conv", inputs: ["padded", "w", "b"], outputs: ["full"], attributes: convAttributes),
        ] + extra
        return Graph(name: "g", nodes: nodes, inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
                     outputs: outputs.map { ValueInfo(name: $0) }, initializers: initializers, opsets: ["": opset])
    }

    static let x = KernelHarness.tensor([2, 3, 11, 12], seed: 74)

    /// Pad then the two convs, each kernel run on its own.
    static func reference(_ g: Graph, pad: Node) throws -> (padded: Tensor, dw: Tensor, full: Tensor) {
        let padArgs = pad.inputs.map { $0 == "x" ? x : g.initializers[$0] }
        let padded = try KernelHarness.run("Pad", padArgs, opset: g.opset, pad.attributes)[0]
        let dw = try KernelHarness.run("Conv", [padded, g.initializers["wdw"]], g.nodes[1].attributes)[0]
        let full = try KernelHarness.run("Conv", [padded, g.initializers["w"], g.initializers["b"]], g.nodes[2].attributes)[0]
        return (padded, dw, full)
    }

    static func plan(_ g: Graph) throws -> ExecutionPlan { try ExecutionPlan(Model(graph: g, format: .onnx, path: "g.onnx")) }

    static func fused(_ plan: ExecutionPlan) -> Bool { plan.steps[0].paddedByReaders }

    static let mobileNetPad = Node(name: "pad", opType: "Pad", inputs: ["x", "pads"], outputs: ["padded"])
    static let bottomRight: [String: Tensor] = ["pads": ints([0, 0, 0, 1, 0, 0, 1, 2])]

    @Test func convsReadTheInputAndRecordThePaddedTensor() throws {
        let g = Self.graph(pad: Self.mobileNetPad, padInputs: Self.bottomRight)
        let plan = try Self.plan(g)
        #expect(Self.fused(plan))
        #expect(plan.steps[1].inputs[0] == plan.slots["x"] && plan.steps[2].inputs[0] == plan.slots["x"])
        #expect(plan.steps[2].runNode?.ints("pads") == [1, 2, 2, 3])
        let ref = try Self.reference(g, pad: Self.mobileNetPad)
        for record in [true, false] {
            let trace = try Executor.run(plan, inputs: ["x": Self.x], record: record)
            let (dw, full) = try (#require(trace.tensor(named: "dw")), #require(trace.tensor(named: "full")))
            #expect(dw.shape == ref.dw.shape && KernelHarness.close(dw.floats, ref.dw.floats, tolerance: 1e-6))
            #expect(full.shape == ref.full.shape && KernelHarness.close(full.floats, ref.full.floats, tolerance: 1e-6))
            if record {
                #expect(trace.order == ["x", "padded", "dw", "full"])
                #expect(trace.tensor(named: "padded") == ref.padded)
                #expect(trace.stats(named: "padded")?.count == ref.padded.count)
                #expect(trace.timings.map(\.op) == ["Pad", "Conv", "Conv"])
            } else {
                #expect(trace.tensor(named: "padded") == nil)
            }
        }
    }

    /// Before opset 11 the pads and the fill are attributes; a `VALID` conv gets the Pad's padding alone.
    @Test func attributePadsBeforeOpset11() throws {
        let pad = Node(name: "pad", opType: "Pad", inputs: ["x"], outputs: ["padded"],
                       attributes: ["pads": .ints([0, 0, 2, 1, 0, 0, 0, 1]), "value": .float(0)])
        let g = Self.graph(pad: pad, opset: 10, padInputs: [:], convAttributes: ["auto_pad": .string("VALID")])
        let plan = try Self.plan(g)
        #expect(Self.fused(plan))
        #expect(plan.steps[2].runNode?.ints("pads") == [2, 1, 0, 1] && plan.steps[2].runNode?.attributes["auto_pad"] == nil)
        let ref = try Self.reference(g, pad: pad)
        let trace = try Executor.run(plan, inputs: ["x": Self.x])
        #expect(KernelHarness.close(try #require(trace.tensor(named: "full")).floats, ref.full.floats, tolerance: 1e-6))
        #expect(trace.tensor(named: "padded") == ref.padded)
    }

    struct Unfused: CustomTestStringConvertible, Sendable {
        var name: String
        var pad: Node
        var inputs: [String: Tensor]
        var extra: [Node] = []
        var outputs = ["dw", "full"]
        var convAttributes: [String: Attribute] = ["pads": .ints([1, 1, 1, 1])]
        var testDescription: String { name }
    }

    static let unfused: [Unfused] = [
        Unfused(name: "reflect", pad: Node(name: "pad", opType: "Pad", inputs: ["x", "pads"], outputs: ["padded"],
                                           attributes: ["mode": .string("reflect")]), inputs: bottomRight),
        Unfused(name: "fill 1", pad: Node(name: "pad", opType: "Pad", inputs: ["x", "pads", "fill"], outputs: ["padded"]),
                inputs: bottomRight.merging(["fill": Tensor(scalar: Float(1))]) { a, _ in a }),
        Unfused(name: "channel axis padded", pad: mobileNetPad, inputs: ["pads": ints([0, 1, 0, 1, 0, 0, 1, 2])],
                extra: [], outputs: ["padded"]),
        Unfused(name: "crop", pad: mobileNetPad, inputs: ["pads": ints([0, 0, 0, 1, 0, 0, -1, 2])]),
        Unfused(name: "read by a Relu too", pad: mobileNetPad, inputs: bottomRight,
                extra: [Node(name: "relu", opType: "Relu", inputs: ["padded"], outputs: ["r"])], outputs: ["dw", "r"]),
        Unfused(name: "a graph output", pad: mobileNetPad, inputs: bottomRight, outputs: ["dw", "padded"]),
        Unfused(name: "SAME_UPPER conv", pad: mobileNetPad, inputs: bottomRight,
                convAttributes: ["auto_pad": .string("SAME_UPPER")]),
    ]

    /// Every other Pad runs on its own, and the run still gives Pad then Conv.
    @Test(arguments: unfused) func otherPadsRunAsNodes(_ c: Unfused) throws {
        let g = Self.graph(pad: c.pad, padInputs: c.inputs, extra: c.extra, outputs: c.outputs,
                           convAttributes: c.convAttributes)
        let plan = try Self.plan(g)
        #expect(!Self.fused(plan) && plan.steps.allSatisfy { $0.runNode == nil })
        let trace: Trace
        do {
            trace = try Executor.run(plan, inputs: ["x": Self.x])
        } catch let failure as RunFailure {
            // Padding the channel axis leaves the convs the wrong channel count: the Pad still ran first.
            #expect(c.name == "channel axis padded" && failure.node == 1)
            #expect(failure.trace.tensor(named: "padded")?.shape == [2, 4, 12, 15])
            return
        }
        let ref = try Self.reference(g, pad: c.pad)
        #expect(trace.tensor(named: "padded") == ref.padded)
        #expect(trace.tensor(named: "dw") == ref.dw)
    }
}

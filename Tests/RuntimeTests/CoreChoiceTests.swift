import Testing
import StrataCore
@testable import Runtime

/// A plan's runs spread their loops over the cores or keep them on one (`CoreChoice.swift`): both ways must give
/// the same bits, and the choice must time both ways before taking the faster, keep it against noise, and time the
/// other way again once its times are old.
@Suite struct CoreChoiceTests {
    private static let ms: UInt64 = 1_000_000

    @Test func bothWaysAreTimedInTurnBeforeTheFasterIsTaken() {
        let choice = CoreChoice()
        var ways: [CoreChoice.Way] = []
        for k in 0..<6 {
            let way = choice.next(record: false, at: UInt64(k) * Self.ms)
            ways.append(way)
            choice.ran(record: false, alone: way != .spread, seconds: way == .spread ? 2e-4 : 1e-4, at: UInt64(k) * Self.ms)
        }
        #expect(ways == [.spread, .alone(timing: true), .spread, .alone(timing: true), .spread, .alone(timing: true)])
        #expect(choice.next(record: false, at: 6 * Self.ms) == .alone(timing: false))
        // Runs that record keep times of their own.
        #expect(choice.next(record: true, at: 6 * Self.ms) == .spread)
    }

    @Test func theFirstChoiceSpreadsUnlessAloneIsClearlyFaster() {
        for (alone, spreads) in [(0.97e-4, true), (0.90e-4, false)] {
            let choice = CoreChoice()
            for k in 0..<6 {
                let way = choice.next(record: false, at: UInt64(k) * Self.ms)
                choice.ran(record: false, alone: way != .spread, seconds: way == .spread ? 1e-4 : alone, at: UInt64(k) * Self.ms)
            }
            #expect((choice.next(record: false, at: 6 * Self.ms) == .spread) == spreads)
        }
    }

    @Test func theWayTakenStaysUntilTheOtherIsClearlyFaster() {
        let choice = CoreChoice()
        var now: UInt64 = 0
        func run(_ seconds: (CoreChoice.Way) -> Double) -> CoreChoice.Way {
            now += Self.ms
            let way = choice.next(record: false, at: now)
            choice.ran(record: false, alone: way != .spread, seconds: seconds(way), at: now)
            return way
        }
        for _ in 0..<6 { _ = run { $0 == .spread ? 1.00e-4 : 1.10e-4 } }
        // Spread slows down to 2 % slower than alone's times: within the margin, the runs stay spread.
        for _ in 0..<4 { #expect(run { $0 == .spread ? 1.12e-4 : 1.10e-4 } == .spread) }
        // Spread slows down by a third: once its times show it, the runs go alone.
        for _ in 0..<3 { _ = run { $0 == .spread ? 1.35e-4 : 1.10e-4 } }
        #expect(run { $0 == .spread ? 1.35e-4 : 1.10e-4 } == .alone(timing: false))
    }

    @Test func aWayNotTimedForAWhileIsTimedAgain() {
        let choice = CoreChoice()
        for k in 0..<6 {
            let way = choice.next(record: false, at: UInt64(k) * Self.ms)
            choice.ran(record: false, alone: way != .spread, seconds: way == .spread ? 1e-4 : 2e-4, at: UInt64(k) * Self.ms)
        }
        // The runs go on spread; alone was last timed at 5 ms, and after `stale` it is timed again, `samples` runs.
        let later = 10 * Self.ms + CoreChoice.stale
        for now in stride(from: 10 * Self.ms, to: later, by: Int(10 * Self.ms)) {
            #expect(choice.next(record: false, at: now) == .spread)
            choice.ran(record: false, alone: false, seconds: 1e-4, at: now)
        }
        #expect(choice.next(record: false, at: later) == .alone(timing: true))
        for k in 0..<CoreChoice.samples {
            choice.ran(record: false, alone: true, seconds: 0.5e-4, at: later + UInt64(k))
        }
        #expect(choice.next(record: false, at: later + 10) == .alone(timing: false))
    }

    /// A small residual network whose convs take the parallel paths (shifted by columns, by positions, a strided
    /// 1×1 shortcut with its sum fused, a depthwise conv) and a classifier's MatMul, run spread over the cores and
    /// on one: every recorded value the same bits.
    @Test func bothWaysGiveTheSameBits() throws {
        let initializers: [String: Tensor] = [
            "w1": KernelHarness.tensor([16, 16, 3, 3], seed: 201), "b1": KernelHarness.tensor([16], seed: 202),
            "w2": KernelHarness.tensor([32, 16, 3, 3], seed: 203), "w3": KernelHarness.tensor([32, 16, 1, 1], seed: 204),
            "dw": KernelHarness.tensor([32, 1, 3, 3], seed: 205), "wm": KernelHarness.tensor([32, 33_000], seed: 207),
        ]
        let nodes = [
            Node(name: "conv1", opType: "Conv", inputs: ["x", "w1", "b1"], outputs: ["c1"], attributes: ["pads": .ints([1, 1, 1, 1])]),
            Node(name: "relu1", opType: "Relu", inputs: ["c1"], outputs: ["r1"]),
            Node(name: "conv2", opType: "Conv", inputs: ["r1", "w2"], outputs: ["c2"],
                 attributes: ["pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 2])]),
            Node(name: "short", opType: "Conv", inputs: ["r1", "w3"], outputs: ["s"], attributes: ["strides": .ints([2, 2])]),
            Node(name: "sum", opType: "Add", inputs: ["c2", "s"], outputs: ["a"]),
            Node(name: "relu2", opType: "Relu", inputs: ["a"], outputs: ["r2"]),
            Node(name: "depthwise", opType: "Conv", inputs: ["r2", "dw"], outputs: ["d"],
                 attributes: ["pads": .ints([1, 1, 1, 1]), "group": .int(32)]),
            Node(name: "pool", opType: "GlobalAveragePool", inputs: ["d"], outputs: ["p"]),
            Node(name: "flatten", opType: "Flatten", inputs: ["p"], outputs: ["f"]),
            // A row times a matrix of over 2^20 values: its sum is cut in one part a core, kept in turn alone.
            Node(name: "classify", opType: "MatMul", inputs: ["f", "wm"], outputs: ["y"]),
        ]
        let graph = Graph(name: "g", nodes: nodes, inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32))],
                          outputs: [ValueInfo(name: "y")], initializers: initializers, opsets: ["": 13])
        let model = Model(graph: graph, format: .onnx, path: "g.onnx")
        let x = KernelHarness.tensor([1, 16, 56, 56], seed: 206)
        for record in [true, false] {
            // A new plan's first run spreads its loops.
            let spread = try Executor.run(ExecutionPlan(model), inputs: ["x": x], record: record)
            let alone = try ParallelFor.alone { try Executor.run(ExecutionPlan(model), inputs: ["x": x], record: record) }
            #expect(!spread.ranOnOneCore || ParallelFor.width == 1)
            #expect(spread.order == alone.order && !spread.order.isEmpty)
            for name in spread.order {
                let (a, b) = (spread.tensor(named: name), alone.tensor(named: name))
                #expect(a?.shape == b?.shape && a?.floats.map(\.bitPattern) == b?.floats.map(\.bitPattern), "\(name)")
            }
        }
    }
}

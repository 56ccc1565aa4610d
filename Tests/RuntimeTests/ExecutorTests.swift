import Runtime
import StrataCore
import Testing

@Suite struct ExecutorTests {
    /// x → Relu → r → Add(bias) → y → Softmax → p.
    func model(extra: [Node] = [], outputs: [String] = ["p"]) -> Model {
        let graph = Graph(
            name: "g",
            nodes: [
                Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["r"]),
                Node(name: "add", opType: "Add", inputs: ["r", "bias"], outputs: ["y"]),
                Node(name: "softmax", opType: "Softmax", inputs: ["y"], outputs: ["p"]),
            ] + extra,
            inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32, shape: [.symbol("N"), .value(4)]))],
            outputs: outputs.map { ValueInfo(name: $0) },
            initializers: ["bias": Tensor(shape: [4], floats: [1, 0, 0, 0])],
            layers: [Layer(name: "relu", op: "Relu", nodes: [0], inputs: ["x"], outputs: ["r"], params: 0, layout: "NC")],
            opsets: ["": 13])
        return Model(graph: graph, format: .onnx, path: "g.onnx")
    }

    let x = Tensor(shape: [1, 4], floats: [-1, 0, 2, .nan])

    @Test func recordsEveryValueInOrder() throws {
        let trace = try Executor.run(model(), inputs: ["x": x])
        #expect(trace.order == ["x", "r", "y", "p"])
        #expect(trace.producers["y"] == 1)
        #expect(trace.timings.map(\.op) == ["Relu", "Add", "Softmax"])
        #expect(trace.tensor(named: "y")!.floats.prefix(3) == [1, 0, 2])
        #expect(trace.output(of: model().graph.layers[0])?.shape == [1, 4])
    }

    @Test func statsCountZerosNaNAndInf() throws {
        let trace = try Executor.run(model(), inputs: ["x": Tensor(shape: [1, 4], floats: [-2, 0, 2, .infinity])])
        let s = try #require(trace.stats(named: "x"))
        #expect(s.count == 4 && s.zeros == 1 && s.nanCount == 0 && s.infCount == 1)
        #expect(s.min == -2 && s.max == 2 && s.mean == 0)
        #expect(abs(s.std - (8.0 / 3.0).squareRoot()) < 1e-6)
        let withNaN = TensorStats(x)
        #expect(withNaN.nanCount == 1 && withNaN.finiteCount == 3 && withNaN.max == 2)
        let ints = TensorStats(Tensor(shape: [3], scalars: [Int64(0), 4, 8]))
        #expect(ints.mean == 4 && ints.zeros == 1)
    }

    @Test func withoutRecordingKeepsOnlyInputsAndOutputs() throws {
        let trace = try Executor.run(model(), inputs: ["x": x], record: false)
        #expect(Set(trace.order) == ["x", "p"])
        #expect(trace.tensor(named: "p") == (try Executor.run(model(), inputs: ["x": x])).tensor(named: "p"))
    }

    @Test func unsupportedOperatorKeepsPartialTrace() throws {
        let m = model(extra: [Node(name: "mystery", opType: "FancyOp", inputs: ["p"], outputs: ["z"])], outputs: ["z"])
        do {
            _ = try Executor.run(m, inputs: ["x": x])
            Issue.record("the run should stop at FancyOp")
        } catch let failure as RunFailure {
            #expect(failure.description == "node 'mystery' (op FancyOp): not supported")
            #expect(failure.error == .unsupportedOperator(node: "mystery", op: "FancyOp"))
            #expect(failure.node == 3)
            #expect(failure.trace.order == ["x", "r", "y", "p"])
        }
    }

    @Test func missingOrIllFittingInputIsReported() throws {
        #expect(throws: RunFailure.self) { try Executor.run(model(), inputs: [:]) }
        do {
            _ = try Executor.run(model(), inputs: ["x": arange([1, 3])])
        } catch let failure as RunFailure {
            #expect(failure.description == "input 'x': got shape [1, 3], the model wants [N, 4]")
        }
    }

    @Test func progressAndCancellation() throws {
        var seen: [Int] = []
        _ = try Executor.run(model(), inputs: ["x": x], onNode: { _, step, total in
            seen.append(step)
            #expect(total == 3)
        })
        #expect(seen == [0, 1, 2])
        var calls = 0
        #expect(throws: RunFailure.self) {
            try Executor.run(model(), inputs: ["x": x], isCancelled: { calls += 1; return calls > 1 })
        }
    }
}

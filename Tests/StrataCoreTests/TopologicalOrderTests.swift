import StrataCore
import Testing

struct TopologicalOrderTests {
    @Test func producersComeFirstAndTiesKeepFileOrder() throws {
        let graph = Graph(name: "g", nodes: [
            node("Add", ["b", "c"], ["d"]),    // 0: needs 2 and 3
            node("Relu", ["x"], ["e"]),        // 1: ready at once
            node("Relu", ["x"], ["b"]),        // 2: ready at once
            node("Sigmoid", ["b"], ["c"]),     // 3: needs 2
            node("Mul", ["d", "w"], ["out"]),  // 4: needs 0
        ], inputs: [input("x", [2])], initializers: ["w": floats([1, 2])])
        #expect(try graph.topologicalOrder() == [1, 2, 3, 0, 4])
    }

    @Test func repeatedAndOmittedInputs() throws {
        let graph = Graph(name: "g", nodes: [
            node("Mul", ["a", "a"], ["sq"]),
            node("Clip", ["x", "", "max"], ["a"]),
        ], inputs: [input("x", [2])], initializers: ["max": floats([6], shape: [])])
        #expect(try graph.topologicalOrder() == [1, 0])
    }

    @Test func emptyGraph() throws {
        #expect(try Graph(name: "empty").topologicalOrder() == [])
    }

    @Test func cycleNamesANodeOnTheCycle() {
        // x → start → loopA ⇄ loopB → after: only loopA and loopB are on the cycle.
        let graph = Graph(name: "g", nodes: [
            node("Relu", ["x"], ["start"]),
            node("Relu", ["loopB"], ["after"]),
            node("Add", ["start", "loopB"], ["loopA"]),
            node("Relu", ["loopA"], ["loopB"]),
        ], inputs: [input("x", [2])])
        #expect { try graph.topologicalOrder() } throws: { error in
            guard case let .cycle(name) = error as? GraphError else { return false }
            return name == "loopA" || name == "loopB"
        }
    }

    @Test func selfLoop() {
        let graph = Graph(name: "g", nodes: [node("Add", ["x", "y"], ["y"])], inputs: [input("x", [1])])
        #expect(throws: GraphError.cycle(node: "y")) { try graph.topologicalOrder() }
        #expect(GraphError.cycle(node: "y").description == "the graph has a cycle through node 'y'")
    }

    @Test func undefinedValue() {
        let graph = Graph(name: "g", nodes: [node("Add", ["x", "ghost"], ["y"])], inputs: [input("x", [1])])
        #expect(throws: GraphError.undefinedValue(node: "y", value: "ghost")) { try graph.topologicalOrder() }
        #expect(GraphError.undefinedValue(node: "y", value: "ghost").description
                == "node 'y' reads 'ghost', which no node, input or initializer defines")
    }

    @Test func firstUndefinedInputIsNamed() {
        let graph = Graph(name: "g", nodes: [node("Sum", ["x", "ghost1", "ghost2", "ghost3", "ghost4"], ["y"])], inputs: [input("x", [1])])
        #expect(throws: GraphError.undefinedValue(node: "y", value: "ghost1")) { try graph.topologicalOrder() }
    }

    @Test func duplicateOutput() {
        let graph = Graph(name: "g", nodes: [node("Relu", ["x"], ["y"]), node("Sigmoid", ["x"], ["y"])], inputs: [input("x", [1])])
        #expect(throws: GraphError.duplicateOutput(value: "y")) { try graph.topologicalOrder() }
    }

    @Test func longChainDoesNotRecurse() throws {
        let n = 20_000
        let nodes = (0..<n).map { i in node("Relu", [i == 0 ? "x" : "v\(i - 1)"], ["v\(i)"]) }
        let graph = Graph(name: "chain", nodes: nodes.reversed(), inputs: [input("x", [1])])
        let order = try graph.topologicalOrder()
        #expect(order == Array((0..<n).reversed()))
    }
}

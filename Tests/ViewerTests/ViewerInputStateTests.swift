import Runtime
import Scene
import StrataCore
import Testing
@testable import Viewer

/// A model with one input of `dims` (a MatMul against a weight, so the input is not an initializer).
private func document(inputDims: [Dim], path: String = "/tmp/pad.onnx") -> ViewerDocument {
    let graph = Graph(name: "g", nodes: [Node(name: "id", opType: "Identity", inputs: ["x"], outputs: ["y"])],
                      inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32, shape: inputDims))],
                      outputs: [ValueInfo(name: "y")], initializers: [:],
                      layers: [Layer(name: "id", op: "Identity", nodes: [0], inputs: ["x"], outputs: ["y"], params: 0, layout: "")])
    return ViewerDocument(model: Model(graph: graph, format: .onnx, path: path), types: ShapeInference.infer(graph))
}

@Suite struct ViewerInputStateTests {
    @Test func thePadTakesTheInputsSize() throws {
        let state = ViewerInputState()
        state.syncPad(with: document(inputDims: [.symbol("N"), .value(1), .value(28), .value(28)]))
        #expect(state.panel.pad?.width == 28 && state.panel.pad?.height == 28)
        state.panel.pad?.dab(x: 3, y: 3)
        state.syncPad(with: document(inputDims: [.symbol("N"), .value(1), .value(28), .value(28)]))
        #expect(state.panel.pad?.isEmpty == false, "the same model keeps the drawing")
        state.syncPad(with: document(inputDims: [.value(1), .value(784)], path: "/tmp/mlp.onnx"))
        #expect(state.panel.pad?.width == 28 && state.panel.pad?.isEmpty == true, "784 is drawn as 28×28")
        let tensors = try #require(try state.padTensors())
        #expect(tensors["x"]?.shape == [1, 784])
        state.syncPad(with: document(inputDims: [.value(1), .value(10)], path: "/tmp/other.onnx"))
        #expect(state.panel.pad == nil, "no pad for an input that is not a picture")
        #expect(try state.padTensors()?.isEmpty == nil)
    }

    @Test func thePadsPictureRunsThroughTheModel() throws {
        let state = ViewerInputState()
        var doc = document(inputDims: [.value(1), .value(28), .value(28), .value(1)])
        state.syncPad(with: doc)
        state.panel.pad?.stroke(to: 14, 4)
        state.panel.pad?.stroke(to: 14, 24)
        let tensors = try #require(try state.padTensors())
        try doc.run(tensors: tensors)
        let y = try #require(doc.trace?.tensor(named: "y"))
        #expect(y.shape == [1, 28, 28, 1])
        #expect(y.floats[10 * 28 + 14] == 1 && y.floats[10 * 28 + 2] == 0)
    }

    @Test func aLiveRunKeepsCameraOpenLayersAndSelection() {
        let controller = ViewerController()
        let doc = document(inputDims: [.value(1), .value(1), .value(4), .value(4)])
        controller.show(doc, expanded: ["id"])
        controller.viewState.selection = Selection(layer: "id")
        controller.apply(.orbit(dx: 40, dy: 10))
        let pose = controller.camera.pose
        controller.replaceDocumentKeepingView(doc)
        #expect(controller.camera.pose == pose)
        #expect(controller.viewState.expanded == ["id"] && controller.viewState.selection?.layer == "id")
    }
}

import Scene
import StrataCore
import Testing
@testable import Viewer

/// A three-layer network drawn without a run: input → Conv → Relu → Flatten.
private func smallDocument() -> ViewerDocument {
    let weight = Tensor(shape: [4, 1, 3, 3], repeating: 0.1)
    let nodes = [
        Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: ["pads": .ints([1, 1, 1, 1])]),
        Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["r"]),
        Node(name: "flat", opType: "Flatten", inputs: ["r"], outputs: ["y"]),
    ]
    let layers = nodes.enumerated().map { i, n in
        Layer(name: n.name, op: n.opType, nodes: [i], inputs: [n.inputs[0]], outputs: n.outputs, params: i == 0 ? 36 : 0,
              layout: "NCHW")
    }
    let graph = Graph(name: "small", nodes: nodes,
                      inputs: [ValueInfo(name: "x", type: TensorType(dtype: .float32, shape: [.value(1), .value(1), .value(8), .value(8)]))],
                      outputs: [ValueInfo(name: "y")], initializers: ["w": weight], layers: layers)
    var types = ShapeInference.infer(graph)
    types["c"] = TensorType(dtype: .float32, shape: [.value(1), .value(4), .value(8), .value(8)])
    types["r"] = types["c"]
    types["y"] = TensorType(dtype: .float32, shape: [.value(1), .value(256)])
    return ViewerDocument(model: Model(graph: graph, format: .onnx, path: "/tmp/small.onnx"), types: types)
}

/// The window point where the centre of `layer`'s first item appears.
private func screenPoint(of layer: String, in controller: ViewerController) -> (x: Double, y: Double)? {
    guard let index = controller.scene.firstItem(ofLayer: layer) else { return nil }
    let p = controller.camera.project(controller.scene.items[index].position, viewport: (1280, 800))
    return p.map { (Double($0.x), Double($0.y)) }
}

@Suite struct ViewerControllerTests {
    @Test func clickOnABlockOpensItsFeatureMaps() throws {
        let controller = ViewerController()
        controller.show(smallDocument())
        let point = try #require(screenPoint(of: "conv", in: controller))
        controller.apply(.click(x: point.x, y: point.y))
        #expect(controller.viewState.expanded.contains("conv"))
        #expect(controller.viewState.selection?.layer == "conv")
        #expect(controller.scene.items.contains { $0.layer == "conv" && $0.kind == .slab })
    }

    @Test func clickOnEmptySpaceClearsTheSelection() {
        let controller = ViewerController()
        controller.show(smallDocument())
        controller.viewState.selection = Selection(layer: "conv")
        controller.apply(.click(x: 2, y: 2))
        #expect(controller.viewState.selection == nil)
    }

    @Test func dragOrbitsAndWheelZooms() {
        let controller = ViewerController()
        controller.show(smallDocument())
        let before = controller.camera.pose
        controller.apply(.orbit(dx: 50, dy: 20))
        #expect(controller.camera.pose.yaw != before.yaw)
        #expect(controller.camera.pose.pitch != before.pitch)
        controller.apply(.zoom(steps: 2, x: 640, y: 400))
        #expect(controller.camera.goal.distance < before.distance)
    }

    @Test func keysChangeViewModeColormapAndRange() {
        let controller = ViewerController()
        controller.show(smallDocument(), expanded: ["conv"])
        controller.apply(.key(.digit(2)))
        #expect(controller.viewState.mode == .stack)
        controller.apply(.key(.digit(4)))
        #expect(controller.viewState.mode == .voxels)
        #expect(controller.scene.items.contains { $0.kind == .voxels })
        let colormap = controller.viewState.colormap
        controller.apply(.key(.letter("c")))
        #expect(controller.viewState.colormap != colormap)
        let range = controller.viewState.rangeMode
        controller.apply(.key(.letter("r")))
        #expect(controller.viewState.rangeMode != range)
    }

    @Test func escapeClearsSelectionThenQuits() {
        let controller = ViewerController()
        controller.show(smallDocument())
        controller.viewState.selection = Selection(layer: "relu")
        controller.apply(.key(.escape))
        #expect(controller.viewState.selection == nil)
        #expect(!controller.wantsQuit)
        controller.apply(.key(.escape))
        #expect(controller.wantsQuit)
    }

    @Test func hoverOverABlockNamesItsLayer() throws {
        let controller = ViewerController()
        controller.show(smallDocument())
        let point = try #require(screenPoint(of: "relu", in: controller))
        controller.apply(.hover(x: point.x, y: point.y))
        #expect(controller.hover?.layer == "relu")
        let lines = ViewerOverlay.tooltipLines(try #require(controller.hover), controller: controller)
        #expect(lines.first?.hasPrefix("relu") == true)
    }

    @Test func frameAllAndHomeRestoreTheView() {
        let controller = ViewerController()
        controller.show(smallDocument())
        let home = controller.camera.goal
        controller.apply(.pan(dx: 200, dy: 0))
        controller.apply(.key(.home))
        #expect(controller.camera.goal == home)
    }
}

import Foundation
import ModelLoading
import StrataCore
import Testing

@testable import Scene

/// Scenes of real models from the onnx package's test data (located by `STRATA_ONNX_DATA`).
@Suite struct ModelSceneTests {
    static func lightModel(_ name: String) throws -> Model {
        guard let data = ProcessInfo.processInfo.environment["STRATA_ONNX_DATA"] else {
            Issue.record("STRATA_ONNX_DATA is not set (point it at onnx/backend/test/data; `make test` does)")
            throw CancellationError()
        }
        return try ModelLoader.load(contentsOf: URL(fileURLWithPath: data).appendingPathComponent("light/\(name)"))
    }

    @Test func resnet50ClosedLayout() throws {
        let model = try Self.lightModel("light_resnet50.onnx")
        let graph = model.graph
        let types = ShapeInference.infer(graph)
        let layout = Layout.compute(graph: graph, types: types)
        #expect(layout.nodes.count + layout.foldedInto.count == graph.layers.count + 1)
        let nodes = layout.nodes
        for i in nodes.indices {
            for j in nodes.indices where j > i {
                #expect(!nodes[i].bounds.intersects(nodes[j].bounds), "\(nodes[i].layer) overlaps \(nodes[j].layer)")
            }
        }
        let column = Dictionary(uniqueKeysWithValues: nodes.map { ($0.layer, $0) })
        for edge in layout.edges {
            #expect(
                column[edge.from]!.bounds.max.x < column[edge.to]!.bounds.min.x,
                "\(edge.from) → \(edge.to) goes backwards")
        }
        #expect(Set(nodes.map(\.lane)).count >= 2, "projection shortcuts run beside the main path")
        let sizes = Set(nodes.map { [$0.size.x, $0.size.y, $0.size.z] })
        #expect(sizes.count >= 5, "block sizes follow the shapes")
    }

    @Test func resnet50TenOpenLayersAndPicking() throws {
        let model = try Self.lightModel("light_resnet50.onnx")
        let types = ShapeInference.infer(model.graph)
        let open = SceneBenchmark.layersToOpen(graph: model.graph, types: types, count: 10)
        #expect(open.count == 10)
        let scene = SceneBuilder.build(graph: model.graph, types: types, viewState: ViewState(expanded: Set(open)))
        let slabs = scene.items.filter { $0.kind == .slab || $0.kind == .bars }
        #expect(Set(slabs.map(\.layer)) == Set(open))
        let slab = scene.items.first { $0.kind == .slab }!
        let hit = scene.hitTest(Ray(origin: slab.position + Vec3(0, 0, 0.5), direction: Vec3(0, 0, -1)))
        #expect(hit?.layer == slab.layer && hit?.channel == slab.channel)
        let result = SceneBenchmark.measure(graph: model.graph, types: types, openCount: 10, runs: 1)
        #expect(result.openLayers == open && result.openItems == scene.items.count)
    }
}

import Foundation
import StrataCore
import Testing

@testable import Scene

/// conv (1×4×3×5, values 0..59), then a 1×6 vector.
func smallModel(layout: String = "NCHW") -> (GraphBuilder, TensorDictionarySource) {
    var b = GraphBuilder(shape: layout == "NCHW" ? [1, 1, 3, 5] : [1, 3, 5, 1])
    b.layout = layout
    let convShape = layout == "NCHW" ? [1, 4, 3, 5] : [1, 3, 5, 4]
    b.add("conv", "Conv", ["x"], shape: convShape, weights: ["w"])
    b.add("fc", "Gemm", ["conv"], shape: [1, 6], weights: ["fw"])
    b.output("fc")
    let trace = TensorDictionarySource([
        "x": rampTensor(b.types["x"]!.concreteShape!),
        "conv": rampTensor(convShape),
        "fc": rampTensor([1, 6], scale: -1),
    ])
    return (b, trace)
}

@Suite struct SceneBuilderTests {
    @Test func closedLayersAreBlocksWithLabelsAndEdges() {
        let b = GraphBuilder.sequential()
        let scene = SceneBuilder.build(graph: b.graph, types: b.types)
        #expect(
            scene.items.filter { $0.kind == .block }.map(\.layer) == [
                "x", "conv", "relu", "pool", "flatten", "gemm", "softmax",
            ])
        #expect(scene.items.filter { $0.kind == .label }.count == 7)
        #expect(scene.items.filter { $0.kind == .edge }.count == 6)
        let conv = scene.items.first { $0.layer == "conv" && $0.kind == .block }!
        #expect(
            conv.category == .convolution && conv.color == OpCategory.convolution.color && conv.shape == [1, 8, 28, 28])
        for item in scene.items { #expect(scene.bounds.contains(item.position)) }
    }

    @Test func gridShowsChannelsInANearSquareGrid() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace, viewState: ViewState(expanded: ["conv"]))
        let slabs = scene.items.filter { $0.kind == .slab }
        #expect(slabs.map(\.channel) == [0, 1, 2, 3])
        #expect(!scene.items.contains { $0.kind == .block && $0.layer == "conv" })
        #expect(slabs[0].position.y == slabs[1].position.y && slabs[0].position.x < slabs[1].position.x)
        #expect(slabs[2].position.x == slabs[0].position.x && slabs[2].position.y < slabs[0].position.y)
        let ref = slabs[3].tensor!
        #expect(ref.value == "conv" && ref.width == 5 && ref.height == 3 && ref.channel == 3 && ref.channelCount == 1)
        #expect(ref.lo == 0 && ref.hi == 59, "per-layer range by default")
        #expect(slabs[0].size.x > slabs[0].size.y, "W = 5 is wider than H = 3")
    }

    @Test func expandAcceptsAValueName() {
        var b = GraphBuilder(shape: [1, 1, 4, 4])
        b.graph.nodes.append(Node(name: "node0", opType: "Relu", inputs: ["x"], outputs: ["relu_out"]))
        b.graph.layers.append(
            Layer(
                name: "node0", op: "Relu", nodes: [0], inputs: ["x"], outputs: ["relu_out"], params: 0,
                layout: "NCHW"))
        b.types["relu_out"] = b.types["x"]
        #expect(SceneBuilder.resolveLayer("relu_out", in: b.graph) == "node0")
        let scene = SceneBuilder.build(graph: b.graph, types: b.types, viewState: ViewState(expanded: ["relu_out"]))
        #expect(scene.items.filter { $0.kind == .slab }.map(\.layer) == ["node0"])
    }

    @Test func stackPutsSlabsInDepth() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .stack))
        let slabs = scene.items.filter { $0.kind == .slab }
        #expect(slabs.count == 4)
        #expect(Set(slabs.map(\.position.x)).count == 1 && Set(slabs.map(\.position.y)).count == 1)
        #expect(zip(slabs, slabs.dropFirst()).allSatisfy { $0.position.z > $1.position.z }, "channel 0 in front")
    }

    @Test func heightfieldShowsEachChannelOrOne() {
        let (b, trace) = smallModel()
        var state = ViewState(expanded: ["conv"], mode: .heightfield)
        let all = SceneBuilder.build(graph: b.graph, types: b.types, trace: trace, viewState: state)
        #expect(all.items.filter { $0.kind == .heightfield }.map(\.channel) == [0, 1, 2, 3])
        state.heightfieldChannel = 2
        let one = SceneBuilder.build(graph: b.graph, types: b.types, trace: trace, viewState: state)
        let fields = one.items.filter { $0.kind == .heightfield }
        #expect(fields.map(\.channel) == [2])
        #expect(fields[0].size.y == FeatureMapPlan.heightScale)
    }

    @Test func voxelsRespectTheCellBudget() {
        let (b, trace) = smallModel()
        let full = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .voxels))
        let v = full.items.filter { $0.kind == .voxels }
        #expect(v.count == 1 && v[0].tensor!.step == [1, 1, 1] && v[0].tensor!.channelCount == 4)
        let small = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .voxels, voxelBudget: 16))
        let ref = small.items.first { $0.kind == .voxels }!.tensor!
        let cells = (0..<3).map { ([5, 3, 4][$0] + ref.step[$0] - 1) / ref.step[$0] }
        #expect(cells.reduce(1, *) <= 16 && ref.step != [1, 1, 1])
    }

    @Test func absurdDeclaredShapesStayBounded() {
        var b = GraphBuilder(shape: [1, 1, 4, 4])
        b.add("big", "Conv", ["x"], shape: [1, 1 << 40, 1 << 40, 1 << 40], weights: ["w"])
        for mode in ViewMode.allCases {
            let scene = SceneBuilder.build(
                graph: b.graph, types: b.types, viewState: ViewState(expanded: ["big"], mode: mode))
            #expect(scene.items.count <= FeatureMapPlan.maxChannelsShown + 10, "\(mode)")
            #expect(scene.bounds.size.length.isFinite)
        }
    }

    @Test func valuesModeWritesOneLabelPerCell() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .values))
        let labels = scene.items.filter { $0.kind == .label && $0.layer == "conv" && $0.channel != nil }
        #expect(labels.count == 4 * 3 * 5)
        let c1 = labels.filter { $0.channel == 1 }
        #expect(c1.first?.text == "15" && c1.last?.text == "29")
        let none = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .values, valueLabelBudget: 10))
        #expect(!none.items.contains { $0.kind == .label && $0.channel != nil })
    }

    @Test func vectorsOpenAsBars() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace, viewState: ViewState(expanded: ["fc"]))
        let bars = scene.items.filter { $0.kind == .bars }
        #expect(bars.count == 1 && bars[0].tensor!.channelCount == 6 && bars[0].size.z > bars[0].size.x)
        #expect(bars[0].tensor!.lo == -5 && bars[0].tensor!.hi == 0)
    }

    @Test func nhwcChannelsAreTheLastAxis() {
        let (b, trace) = smallModel(layout: "NHWC")
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace, viewState: ViewState(expanded: ["conv"]))
        let slabs = scene.items.filter { $0.kind == .slab }
        #expect(slabs.count == 4)
        let ref = slabs[1].tensor!
        #expect(ref.layout == .nhwc && ref.width == 5 && ref.height == 3)
        let expected: [Float] = (0..<15).map { Float($0 * 4 + 1) }
        #expect(ref.plane(in: trace.tensor(named: "conv")!, channel: 1) == expected)
    }

    @Test func rangeModes() {
        let (b, trace) = smallModel()
        func ranges(_ mode: RangeMode, _ map: ColormapName = .standard) -> [(Float, Float)] {
            let s = SceneBuilder.build(
                graph: b.graph, types: b.types, trace: trace,
                viewState: ViewState(expanded: ["conv", "fc"], colormap: map, rangeMode: mode))
            return s.items.compactMap(\.tensor).map { ($0.lo, $0.hi) }
        }
        #expect(ranges(.channel).prefix(4).map(\.0) == [0, 15, 30, 45])
        #expect(ranges(.channel).prefix(4).map(\.1) == [14, 29, 44, 59])
        #expect(ranges(.global).allSatisfy { $0 == (-5, 59) })
        #expect(ranges(.layer, .diverging).last! == (-5, 5))
    }

    @Test func sceneRoundTripsThroughJSON() throws {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace, viewState: ViewState(expanded: ["conv"]))
        let data = try JSONEncoder().encode(scene)
        let back = try JSONDecoder().decode(Scene.self, from: data)
        #expect(back == scene)
        #expect(back.hitTest(Ray(origin: Vec3(-100, 0, 0), direction: Vec3(1, 0, 0))) != nil)
    }
}

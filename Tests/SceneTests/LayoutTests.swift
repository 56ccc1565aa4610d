import StrataCore
import Testing

@testable import Scene

@Suite struct LayoutTests {
    @Test func sequentialBlocksRunAlongXInTopologicalOrder() {
        let b = GraphBuilder.sequential()
        let layout = Layout.compute(graph: b.graph, types: b.types)
        #expect(layout.nodes.map(\.layer) == ["x", "conv", "relu", "pool", "flatten", "gemm", "softmax"])
        for (a, c) in zip(layout.nodes, layout.nodes.dropFirst()) {
            #expect(a.bounds.max.x < c.bounds.min.x, "\(a.layer) must end before \(c.layer) starts")
            #expect(a.center.z == c.center.z)
        }
        #expect(layout.edges.count == 6)
    }

    @Test func branchesSitSideBySideWithoutOverlap() {
        let b = GraphBuilder.resnetLike()
        let layout = Layout.compute(graph: b.graph, types: b.types)
        let a1 = layout.node(named: "a1")!
        let proj = layout.node(named: "proj")!
        #expect(a1.column == proj.column)
        #expect(a1.center.x == proj.center.x)
        #expect(abs(a1.center.z - proj.center.z) >= (a1.size.z + proj.size.z) / 2)
        for (i, n) in layout.nodes.enumerated() {
            for m in layout.nodes[(i + 1)...] {
                #expect(!n.bounds.intersects(m.bounds), "\(n.layer) overlaps \(m.layer)")
            }
        }
        let add1 = layout.node(named: "add1")!
        #expect(add1.column > layout.node(named: "a2")!.column)
    }

    @Test func edgesDoNotPassThroughBlocks() {
        for b in [GraphBuilder.resnetLike(), GraphBuilder.sequential()] {
            let layout = Layout.compute(graph: b.graph, types: b.types)
            #expect(layout.edges.contains { $0.points.count > 4 } || b.graph.layers.count < 8)
            for edge in layout.edges {
                for node in layout.nodes where node.layer != edge.from && node.layer != edge.to {
                    for (p, q) in zip(edge.points, edge.points.dropFirst()) {
                        #expect(!segment(p, q, crosses: node.bounds), "\(edge.from)→\(edge.to) crosses \(node.layer)")
                    }
                }
            }
        }
    }

    @Test func skipEdgeClimbsOverTheBlocksItPasses() {
        let b = GraphBuilder.resnetLike()
        let layout = Layout.compute(graph: b.graph, types: b.types)
        let skip = layout.edges.first { $0.from == "add1" && $0.to == "add2" }!
        let top = skip.points.map(\.y).max()!
        #expect(top > layout.node(named: "b1")!.bounds.max.y)
    }

    @Test func blockSizesFollowTheShape() {
        let map = Layout.blockSize(for: [1, 64, 28, 28], layout: .nchw)
        let vector = Layout.blockSize(for: [1, 10], layout: .nchw)
        #expect(map.x > vector.x && map.y > vector.y)
        #expect(vector.z > vector.x, "a vector is a row of cells along z")
        let small = Layout.blockSize(for: [1, 8, 7, 7], layout: .nchw)
        #expect(small.x < map.x && small.z < map.z)
        #expect(Layout.blockSize(for: [1, 28, 28, 64], layout: .nhwc) == map)
        let huge = Layout.blockSize(for: [1, 100_000, 100_000, 100_000], layout: .nchw)
        #expect(huge.x <= 6 && huge.y <= 6 && huge.z <= 5)
    }

    @Test func shapeSubgraphFoldsIntoReshape() {
        let b = GraphBuilder.withShapeSubgraph()
        let layout = Layout.compute(graph: b.graph, types: b.types)
        #expect(layout.nodes.map(\.layer) == ["x", "conv", "reshape", "fc"])
        #expect(layout.node(named: "reshape")!.folded == ["concat", "gather", "minus1", "shape", "unsq"])
        #expect(layout.foldedInto["shape"] == "reshape")
        let shown = Layout.compute(graph: b.graph, types: b.types, showShapeSubgraphs: true)
        #expect(shown.nodes.count == 9)
        #expect(shown.edges.contains { $0.from == "conv" && $0.to == "shape" })
    }

    @Test func generatedWeightsFoldIntoTheirConsumer() {
        var b = GraphBuilder(shape: [1, 1, 8, 8])
        b.add("w_gen", "ConstantOfShape", [], shape: [4, 1, 3, 3], weights: ["w_shape"])
        b.add("conv", "Conv", ["x", "w_gen"], shape: [1, 4, 8, 8])
        b.add("relu", "Relu", ["conv"], shape: [1, 4, 8, 8])
        b.output("relu")
        let layout = Layout.compute(graph: b.graph, types: b.types)
        #expect(layout.nodes.map(\.layer) == ["x", "conv", "relu"])
        #expect(layout.foldedInto == ["w_gen": "conv"])
        #expect(layout.edges.map(\.from) == ["x", "conv"])
    }

    @Test func dataGatherIsNotFolded() {
        var b = GraphBuilder(shape: [1, 5])
        b.add("embed", "Gather", ["x"], shape: [1, 5, 8], weights: ["table"])
        b.add("relu", "Relu", ["embed"], shape: [1, 5, 8])
        b.output("relu")
        #expect(ShapeFolding.foldedLayers(in: b.graph).isEmpty)
    }
}

/// True when segment p–q passes through the inside of `box` (touching its surface does not count).
func segment(_ p: Vec3, _ q: Vec3, crosses box: AABB) -> Bool {
    let inner = AABB(min: box.min + Vec3(1e-3, 1e-3, 1e-3), max: box.max - Vec3(1e-3, 1e-3, 1e-3))
    let length = (q - p).length
    guard length > 0 else { return inner.contains(p) }
    guard let t = inner.intersect(Ray(origin: p, direction: q - p)) else { return false }
    return t <= length
}

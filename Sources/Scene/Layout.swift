import Foundation
import StrataCore

/// One visible layer placed in 3D.
public struct LayoutNode: Sendable, Equatable, Codable {
    /// Layer name, or the graph input's value name for an input.
    public var layer: String
    /// Operator (`Input` for a graph input).
    public var op: String
    /// The value the block shows (the layer's first output, or the input's name).
    public var value: String?
    /// Output shape, when known.
    public var shape: [Int]?
    /// Column along +x (0 = graph inputs) and lane along -z.
    public var column: Int
    public var lane: Int
    /// Centre and full extent of the layer's footprint (its block, or its open feature maps).
    public var center: Vec3
    public var size: Vec3
    /// Index into `Graph.layers` (nil for a graph input).
    public var layerIndex: Int?
    /// Names of the shape-only layers folded into this one.
    public var folded: [String]

    public var bounds: AABB { AABB(center: center, size: size) }
}

/// A connection between two visible layers, routed around blocks.
public struct LayoutEdge: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    /// The value carried.
    public var value: String
    public var points: [Vec3]
}

/// Positions of every visible layer and the routes of their connections.
public struct LayoutResult: Sendable, Equatable, Codable {
    public var nodes: [LayoutNode]
    public var edges: [LayoutEdge]
    /// Folded layer name → the visible layer it folds into.
    public var foldedInto: [String: String]

    /// The node of `layer`.
    public func node(named layer: String) -> LayoutNode? { nodes.first { $0.layer == layer } }
}

/// The 3D layout of a graph: a pure function of the graph, its value types and per-layer footprints.
///
/// Layers go along +x in topological order, one column per longest-path depth from the inputs; layers that
/// share a column (parallel branches) take different lanes along -z. An edge between neighbouring columns
/// bends in the gap between them; a longer one climbs in the gap after its source, runs above every block it
/// passes, and comes down in the gap before its target, so no edge crosses a block.
public enum Layout {
    /// Space between columns along x and between lanes along z.
    public static let columnGap: Float = 1.4
    public static let laneGap: Float = 1.2
    /// Clearance of edges running over blocks.
    public static let edgeClearance: Float = 0.6

    /// Lays out `graph`. `footprints` overrides the size of a layer (an open layer's feature maps); other
    /// layers get `blockSize(for:)` of their output shape. Shape-only subgraphs fold unless `showShapeSubgraphs`.
    public static func compute(
        graph: Graph, types: [String: TensorType], footprints: [String: Vec3] = [:],
        showShapeSubgraphs: Bool = false
    ) -> LayoutResult {
        let folded = showShapeSubgraphs ? [:] : ShapeFolding.foldedLayers(in: graph)
        var nodes = makeNodes(graph: graph, types: types, folded: folded, footprints: footprints)
        let index = Dictionary(nodes.enumerated().map { ($1.layer, $0) }, uniquingKeysWith: { a, _ in a })
        let links = makeLinks(graph: graph, nodes: nodes, index: index, folded: folded)
        assignColumnsAndLanes(&nodes, links: links)
        let columns = placeColumns(&nodes)
        placeLanes(&nodes)
        let edges = links.map { l in
            LayoutEdge(
                from: nodes[l.from].layer, to: nodes[l.to].layer, value: l.value,
                points: route(from: nodes[l.from], to: nodes[l.to], columns: columns))
        }
        var foldedInto: [String: String] = [:]
        for (f, t) in folded { foldedInto[graph.layers[f].name] = graph.layers[t].name }
        return LayoutResult(nodes: nodes, edges: edges, foldedInto: foldedInto)
    }

    /// A closed block's size for an output shape: x ~ log W, y ~ log H, z ~ log C, clamped; a vector is a
    /// row of cells along z; an unknown shape is a small cube.
    public static func blockSize(for shape: [Int]?, layout: TensorLayout) -> Vec3 {
        guard let shape, !shape.isEmpty else { return Vec3(0.8, 0.8, 0.8) }
        let d = FeatureMapDims(shape: shape, layout: layout)
        func scale(_ n: Int, _ base: Float, _ per: Float, _ hi: Float) -> Float {
            min(hi, base + per * Float(log2(Double(max(n, 1)))))
        }
        if d.layout == .vector { return Vec3(0.4, 0.4, max(0.4, scale(d.channels, 0.2, 0.45, 6))) }
        return Vec3(scale(d.width, 0.4, 0.6, 6), scale(d.height, 0.4, 0.6, 6), scale(d.channels, 0.3, 0.4, 5))
    }

    // MARK: - Nodes and links

    private static func makeNodes(
        graph: Graph, types: [String: TensorType], folded: [Int: Int],
        footprints: [String: Vec3]
    ) -> [LayoutNode] {
        var nodes: [LayoutNode] = []
        let layerNames = Set(graph.layers.map(\.name))
        for input in graph.inputs where graph.initializers[input.name] == nil && !layerNames.contains(input.name) {
            let shape = types[input.name]?.displayShape ?? input.type.displayShape
            let layout: TensorLayout =
                graph.layers.first { $0.inputs.contains(input.name) }?.layout == "NHWC" ? .nhwc : .nchw
            nodes.append(
                LayoutNode(
                    layer: input.name, op: "Input", value: input.name, shape: shape, column: 0, lane: 0,
                    center: .zero, size: footprints[input.name] ?? blockSize(for: shape, layout: layout),
                    layerIndex: nil, folded: []))
        }
        var foldedNames: [Int: [String]] = [:]
        for (f, t) in folded { foldedNames[t, default: []].append(graph.layers[f].name) }
        for (i, layer) in graph.layers.enumerated() where folded[i] == nil {
            let value = layer.shownValue
            let shape = value.flatMap { types[$0]?.displayShape }
            let layout: TensorLayout = layer.layout == "NHWC" ? .nhwc : .nchw
            nodes.append(
                LayoutNode(
                    layer: layer.name, op: layer.op, value: value, shape: shape, column: 0, lane: 0,
                    center: .zero, size: footprints[layer.name] ?? blockSize(for: shape, layout: layout),
                    layerIndex: i, folded: (foldedNames[i] ?? []).sorted()))
        }
        return nodes
    }

    struct Link {
        var from: Int
        var to: Int
        var value: String
    }

    private static func makeLinks(graph: Graph, nodes: [LayoutNode], index: [String: Int], folded: [Int: Int]) -> [Link]
    {
        var producer: [String: Int] = [:]
        for (n, node) in nodes.enumerated() {
            if let li = node.layerIndex {
                for o in graph.layers[li].outputs { producer[o] = n }
            } else if let v = node.value {
                producer[v] = n
            }
        }
        var links: [Link] = []
        var seen: Set<[Int]> = []
        for (n, node) in nodes.enumerated() {
            guard let li = node.layerIndex else { continue }
            for v in graph.layers[li].inputs {
                guard let p = producer[v], p != n, seen.insert([p, n]).inserted else { continue }
                links.append(Link(from: p, to: n, value: v))
            }
        }
        return links
    }

    // MARK: - Placement

    private static func assignColumnsAndLanes(_ nodes: inout [LayoutNode], links: [Link]) {
        var incoming = [[Int]](repeating: [], count: nodes.count)
        for l in links { incoming[l.to].append(l.from) }
        // Nodes are in topological order (inputs, then Graph.layers), so producers come first.
        for n in nodes.indices where nodes[n].layerIndex != nil {
            nodes[n].column = 1 + (incoming[n].map { nodes[$0].column }.max() ?? 0)
        }
        var taken: [Int: Set<Int>] = [:]
        for n in nodes.indices {
            let preferred = incoming[n].first.map { nodes[$0].lane } ?? 0
            var used = taken[nodes[n].column, default: []]
            var lane = preferred
            var k = 1
            while used.contains(lane) {
                lane = preferred + (k % 2 == 1 ? (k + 1) / 2 : -(k / 2))
                if lane < 0 { lane = preferred + (k + 1) / 2 }
                k += 1
            }
            used.insert(lane)
            taken[nodes[n].column] = used
            nodes[n].lane = lane
        }
    }

    /// Column extents along x: (left, right) per column.
    struct ColumnSpan {
        var left: Float
        var right: Float
        var halfHeight: Float
    }

    private static func placeColumns(_ nodes: inout [LayoutNode]) -> [ColumnSpan] {
        let count = (nodes.map(\.column).max() ?? -1) + 1
        var width = [Float](repeating: 0, count: count)
        var half = [Float](repeating: 0, count: count)
        for n in nodes {
            width[n.column] = max(width[n.column], n.size.x)
            half[n.column] = max(half[n.column], n.size.y / 2)
        }
        var spans: [ColumnSpan] = []
        var x: Float = 0
        for c in 0..<count {
            spans.append(ColumnSpan(left: x, right: x + width[c], halfHeight: half[c]))
            x += width[c] + columnGap
        }
        for n in nodes.indices { nodes[n].center.x = (spans[nodes[n].column].left + spans[nodes[n].column].right) / 2 }
        return spans
    }

    private static func placeLanes(_ nodes: inout [LayoutNode]) {
        let lanes = (nodes.map(\.lane).max() ?? -1) + 1
        var depth = [Float](repeating: 0, count: lanes)
        for n in nodes { depth[n.lane] = max(depth[n.lane], n.size.z) }
        var z = [Float](repeating: 0, count: lanes)
        for k in 1..<max(lanes, 1) { z[k] = z[k - 1] - (depth[k - 1] / 2 + laneGap + depth[k] / 2) }
        for n in nodes.indices { nodes[n].center.z = z[nodes[n].lane] }
    }

    // MARK: - Routing

    private static func route(from a: LayoutNode, to b: LayoutNode, columns: [ColumnSpan]) -> [Vec3] {
        let start = Vec3(a.center.x + a.size.x / 2, 0, a.center.z)
        let end = Vec3(b.center.x - b.size.x / 2, 0, b.center.z)
        let afterA = columns[a.column].right + columnGap / 2
        let beforeB = columns[b.column].left - columnGap / 2
        if b.column == a.column + 1 {
            guard a.center.z != b.center.z else { return [start, end] }
            return [start, Vec3(afterA, 0, a.center.z), Vec3(afterA, 0, b.center.z), end]
        }
        let lo = min(a.column, b.column)
        let hi = max(a.column, b.column)
        let between = columns[lo...hi].map(\.halfHeight).max() ?? 0
        let top = between + edgeClearance
        return [
            start, Vec3(afterA, 0, a.center.z), Vec3(afterA, top, a.center.z), Vec3(beforeB, top, b.center.z),
            Vec3(beforeB, 0, b.center.z), end,
        ]
    }
}

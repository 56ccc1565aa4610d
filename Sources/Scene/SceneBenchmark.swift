import Foundation
import StrataCore

/// Timings of scene building and picking, for `strata bench`.
public struct SceneBenchmarkResult: Sendable, Equatable, Codable {
    /// Median time to build the scene with every layer closed, milliseconds.
    public var buildClosedMs: Double
    /// Median time to build it with `openLayers` open (grid view), milliseconds.
    public var buildOpenMs: Double
    /// Layers opened for `buildOpenMs`.
    public var openLayers: [String]
    /// Items in the scene with those layers open.
    public var openItems: Int
    /// Mean time of one hit test through the open scene, milliseconds (the worst of `hitTestMaxMs`).
    public var hitTestMeanMs: Double
    public var hitTestMaxMs: Double
}

/// Measures scene building and hit testing on a graph (and optionally a run's activations).
public enum SceneBenchmark {
    /// Builds the scene `runs` times closed and with `openCount` layers open, then casts a 32×32 grid of rays
    /// through the open scene's framed camera.
    public static func measure(graph: Graph, types: [String: TensorType], trace: (any ActivationSource)? = nil,
                               openCount: Int = 10, runs: Int = 5) -> SceneBenchmarkResult {
        let closed = median((0..<max(runs, 1)).map { _ in
            time { _ = SceneBuilder.build(graph: graph, types: types, trace: trace) }
        })
        let open = layersToOpen(graph: graph, types: types, count: openCount)
        let state = ViewState(expanded: Set(open))
        var scene = SceneBuilder.build(graph: graph, types: types, trace: trace, viewState: state)
        let openTime = median((0..<max(runs, 1)).map { _ in
            time { scene = SceneBuilder.build(graph: graph, types: types, trace: trace, viewState: state) }
        })
        var hitTimes: [Double] = []
        let n = 32
        for j in 0..<n {
            for i in 0..<n {
                let ray = scene.camera.ray(throughPixel: (Float(i) * 40 + 20, Float(j) * 25 + 12), viewport: (1280, 800))
                hitTimes.append(time { _ = scene.hitTest(ray, activations: trace) })
            }
        }
        return SceneBenchmarkResult(buildClosedMs: closed, buildOpenMs: openTime, openLayers: open, openItems: scene.items.count,
                                    hitTestMeanMs: hitTimes.reduce(0, +) / Double(hitTimes.count),
                                    hitTestMaxMs: hitTimes.max() ?? 0)
    }

    /// `count` visible (not folded) layers with a known output shape, evenly spread along the graph.
    public static func layersToOpen(graph: Graph, types: [String: TensorType], count: Int) -> [String] {
        let folded = ShapeFolding.foldedLayers(in: graph)
        let candidates = graph.layers.indices.filter { folded[$0] == nil }.map { graph.layers[$0] }
            .filter { l in l.shownValue.flatMap { types[$0]?.concreteShape } != nil }
        guard candidates.count > count, count > 0 else { return candidates.map(\.name) }
        return (0..<count).map { candidates[$0 * candidates.count / count].name }
    }

    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }
}

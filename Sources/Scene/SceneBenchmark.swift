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
    /// Median time of one hit test, milliseconds (robust against a busy machine).
    public var hitTestMedianMs: Double
}

/// Measures scene building and hit testing on a graph (and optionally a run's activations).
public enum SceneBenchmark {
    /// Builds the scene `runs` times closed and with `openCount` layers open, then hit-tests the open scene from
    /// its framed camera.
    public static func measure(
        graph: Graph, types: [String: TensorType], trace: (any ActivationSource)? = nil,
        openCount: Int = 10, runs: Int = 5
    ) -> SceneBenchmarkResult {
        let closed = median(
            (0..<max(runs, 1)).map { _ in
                time { _ = SceneBuilder.build(graph: graph, types: types, trace: trace) }
            })
        let open = layersToOpen(graph: graph, types: types, count: openCount)
        let state = ViewState(expanded: Set(open))
        var scene = SceneBuilder.build(graph: graph, types: types, trace: trace, viewState: state)
        let openTime = median(
            (0..<max(runs, 1)).map { _ in
                time { scene = SceneBuilder.build(graph: graph, types: types, trace: trace, viewState: state) }
            })
        let hitTimes = hitTestTimes(scene, trace: trace)
        return SceneBenchmarkResult(
            buildClosedMs: closed, buildOpenMs: openTime, openLayers: open, openItems: scene.items.count,
            hitTestMeanMs: hitTimes.reduce(0, +) / Double(hitTimes.count),
            hitTestMaxMs: hitTimes.max() ?? 0, hitTestMedianMs: median(hitTimes))
    }

    /// Times hit tests along rays through the screen position of up to 1024 pickable items' centres (so each
    /// ray hits something and the front-most search does real work).
    static func hitTestTimes(_ scene: Scene, trace: (any ActivationSource)?) -> [Double] {
        let viewport: (width: Float, height: Float) = (1280, 800)
        let pickable = scene.items.filter { $0.kind != .edge && $0.kind != .label }
        let stride = max(1, pickable.count / 1024)
        var times: [Double] = []
        for item in Swift.stride(from: 0, to: pickable.count, by: stride).map({ pickable[$0] }) {
            let pixel = scene.camera.project(item.position, viewport: viewport) ?? (640, 400)
            let ray = scene.camera.ray(throughPixel: pixel, viewport: viewport)
            times.append(time { _ = scene.hitTest(ray, activations: trace) })
        }
        return times.isEmpty ? [0] : times
    }

    /// `count` visible (not folded) layers with a known output shape, evenly spread along the graph.
    public static func layersToOpen(graph: Graph, types: [String: TensorType], count: Int) -> [String] {
        let folded = ShapeFolding.foldedLayers(in: graph)
        let candidates = graph.layers.indices.filter { folded[$0] == nil }.map { graph.layers[$0] }
            .filter { l in l.shownValue.flatMap { types[$0]?.displayShape } != nil }
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

import Foundation
import GLRenderer
import Runtime
import Scene
import StrataCore

/// Scene-build, hit-test and frame times for `strata bench --frames N`.
struct FrameReport: Encodable {
    var width: Int
    var height: Int
    var frames: Int
    var sceneBuildClosedMS: Double
    var sceneBuildOpenMS: Double
    var hitTestMedianMS: Double
    var hitTestMaxMS: Double
    var openLayers: [String]
    var frameClosedMS: Double
    var frameOpenMS: Double?
    var openItems: Int
    /// With `--ui`: the same frames without and with the viewer's panels, timed in alternation.
    var uiBaseFrameMS: Double?
    var uiFrameMS: Double?
    /// With `--ui`: building the panels' draw list (CPU), part of `uiFrameMS`.
    var uiBuildMS: Double?

    enum CodingKeys: String, CodingKey {
        case width, height, frames
        case sceneBuildClosedMS = "scene_build_closed_ms", sceneBuildOpenMS = "scene_build_open_ms"
        case hitTestMedianMS = "hit_test_median_ms", hitTestMaxMS = "hit_test_max_ms", openLayers = "open_layers"
        case frameClosedMS = "frame_closed_ms", frameOpenMS = "frame_open_ms", openItems = "open_items"
        case uiBaseFrameMS = "ui_base_frame_ms", uiFrameMS = "ui_frame_ms", uiBuildMS = "ui_build_ms"
    }

    /// Measures on `model` with `trace`'s activations: every layer closed, then `open` layers open in `mode`.
    static func measure(model: Model, trace: Trace, open: [String], mode: ViewMode, frames: Int,
                        width: Int, height: Int, ui: Bool = false) throws -> FrameReport {
        let graph = model.graph
        let types = ShapeInference.infer(graph)
        let activations = TraceActivationSource(trace)
        let sceneTimes = SceneBenchmark.measure(graph: graph, types: types, trace: activations,
                                                openCount: max(open.count, 1))
        let closed = framed(SceneBuilder.build(graph: graph, types: types, trace: activations), width, height)
        let closedTimes = try FrameBenchmark.measure(scene: closed, activations: activations, frames: frames,
                                                     width: width, height: height)
        var report = FrameReport(
            width: width, height: height, frames: frames, sceneBuildClosedMS: sceneTimes.buildClosedMs,
            sceneBuildOpenMS: sceneTimes.buildOpenMs, hitTestMedianMS: sceneTimes.hitTestMedianMs,
            hitTestMaxMS: sceneTimes.hitTestMaxMs, openLayers: open,
            frameClosedMS: FrameBenchmark.median(closedTimes), frameOpenMS: nil, openItems: 0)
        if !open.isEmpty {
            let state = ViewState(expanded: Set(open), mode: mode)
            let buildStart = DispatchTime.now()
            let built = SceneBuilder.build(graph: graph, types: types, trace: activations, viewState: state)
            report.sceneBuildOpenMS = Bench.milliseconds(since: buildStart)
            let scene = framed(built, width, height)
            report.openItems = scene.items.count
            let openTimes = try FrameBenchmark.measure(scene: scene, activations: activations, frames: frames,
                                                       width: width, height: height)
            report.frameOpenMS = FrameBenchmark.median(openTimes)
        }
        if ui {
            let state = ViewState(expanded: Set(open), mode: mode)
            let scene = framed(SceneBuilder.build(graph: graph, types: types, trace: activations, viewState: state), width, height)
            let panels = BenchUIFrame(model: model, types: types, trace: trace, open: open, mode: mode)
            var buildTimes: [Double] = []
            let times = try FrameBenchmark.measureWithOverlay(scene: scene, activations: activations, frames: frames,
                                                              width: width, height: height) { metrics, w, h in
                let start = DispatchTime.now()
                defer { buildTimes.append(Bench.milliseconds(since: start)) }
                return panels.build(metrics: metrics, width: w, height: h)
            }
            report.uiBaseFrameMS = FrameBenchmark.median(times.plain)
            report.uiFrameMS = FrameBenchmark.median(times.withOverlay)
            report.uiBuildMS = FrameBenchmark.median(buildTimes)
        }
        return report
    }

    private static func framed(_ scene: Scene, _ width: Int, _ height: Int) -> Scene {
        var scene = scene
        CameraFit.fit(&scene.camera, to: scene, aspect: Float(width) / Float(max(height, 1)))
        return scene
    }

    func text() -> String {
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        var lines = [
            "scene build  \(ms(sceneBuildClosedMS)) all closed, \(ms(sceneBuildOpenMS)) with \(max(openLayers.count, 10)) open",
            "hit test     \(ms(hitTestMedianMS)) median, \(ms(hitTestMaxMS)) max",
            "frame        \(ms(frameClosedMS)) median, all closed (\(width)×\(height), \(frames) frames)",
        ]
        if let frameOpenMS {
            lines.append("frame        \(ms(frameOpenMS)) median, \(openLayers.count) layers open (\(openItems) items)")
        }
        if let uiBaseFrameMS, let uiFrameMS {
            lines.append("frame        \(ms(uiFrameMS)) median with the viewer's panels, \(ms(uiBaseFrameMS)) without "
                         + "(+\(ms(uiFrameMS - uiBaseFrameMS)), alternating frames; building the panels \(ms(uiBuildMS ?? 0)))")
        }
        return lines.joined(separator: "\n")
    }
}

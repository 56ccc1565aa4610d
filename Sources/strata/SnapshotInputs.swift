import ArgumentParser
import Foundation
import GLRenderer
import Runtime
import Scene
import Snapshot
import StrataCore

/// What `strata snapshot`, and `strata render` / `strata run` given a `.strata` file, share.
enum SnapshotInputs {
    /// Runs `model`; a run that stops at an unsupported operator yields what was computed and the failure.
    static func runKeepingPartial(_ model: Model, feeds: [String: Tensor]) throws -> (Trace, RunFailure?) {
        do {
            return (try Executor.run(model, inputs: feeds), nil)
        } catch let failure as RunFailure {
            guard case .unsupportedOperator = failure.error else { throw failure }
            return (failure.trace, failure)
        }
    }

    /// The view state of the command-line options, as `strata render` reads them.
    static func viewState(for graph: Graph, file: String, expanded: [String], view: String,
                          colormap: String) throws -> ViewState {
        guard let mode = ViewMode(rawValue: view.lowercased()) else {
            throw ValidationError("unknown view mode '\(view)' (use \(ViewMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let map = ColormapName(rawValue: colormap.lowercased()) else {
            throw ValidationError("unknown colormap '\(colormap)' (use \(ColormapName.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var state = ViewState(mode: mode, colormap: map)
        for name in expanded {
            guard let layer = SceneBuilder.resolveLayer(name, in: graph) else {
                throw ValidationError("\(file): no layer or value named '\(name)' (see 'strata inspect')")
            }
            state.expanded.insert(layer)
        }
        return state
    }

    /// The camera `strata render` draws with: the framed camera turned by azimuth/elevation, fitted to
    /// `aspect`, then moved to `distance`.
    static func applyCamera(to scene: inout Scene, aspect: Float, azimuth: Float?, elevation: Float?, distance: Float?) {
        var camera = scene.camera
        if let azimuth { camera.goal.yaw = azimuth * .pi / 180 }
        if let elevation { camera.goal.pitch = min(max(elevation * .pi / 180, -Camera.pitchLimit), Camera.pitchLimit) }
        camera.snap()
        CameraFit.fit(&camera, to: scene, aspect: aspect)
        if let distance {
            camera.goal.distance = min(max(distance, Camera.distanceRange.lowerBound), Camera.distanceRange.upperBound)
            camera.snap()
        }
        scene.camera = camera
    }

    /// `strata render FILE.strata`: the stored view from the stored activations, nothing run. Camera options
    /// given on the command line replace the stored camera.
    static func render(_ command: Render) throws {
        guard command.inputs.isEmpty, command.expanded.isEmpty else {
            throw ValidationErrorMessage("\(command.model): --input and --expand do not apply to a snapshot (it keeps its own)")
        }
        let (width, height) = try Render.parseSize(command.size)
        let contents = try SnapshotFile.open(URL(fileURLWithPath: command.model))
        var scene = SceneBuilder.build(graph: contents.model.graph, types: contents.types,
                                       trace: contents.activations, viewState: contents.viewState)
        let cameraGiven = command.azimuth != nil || command.elevation != nil || command.distance != nil
        if let camera = contents.camera, !cameraGiven {
            scene.camera = camera
        } else {
            applyCamera(to: &scene, aspect: Float(width) / Float(height), azimuth: command.azimuth,
                        elevation: command.elevation, distance: command.distance)
        }
        let image = try OffscreenRenderer().render(scene, activations: contents.activations, width: width, height: height)
        try image.writePNG(to: command.out)
    }

    /// `strata run FILE.strata`: re-runs the stored model on the stored inputs, reports the largest difference
    /// from the stored activations, dumps and prints as for a model (the load time is the snapshot's opening).
    static func run(_ command: Run) throws {
        guard command.inputs.isEmpty else {
            throw ValidationErrorMessage("\(command.model): --input does not apply to a snapshot (it re-runs its stored inputs)")
        }
        let openStart = DispatchTime.now()
        let contents = try SnapshotFile.open(URL(fileURLWithPath: command.model))
        let openMS = milliseconds(since: openStart)
        let start = DispatchTime.now()
        let (trace, failure) = try runKeepingPartial(contents.model, feeds: contents.inputs)
        let runMS = milliseconds(since: start)
        if let dump = command.dump { try TraceDump.write(trace, model: contents.model, to: dump, failure: failure) }
        let (difference, worst, compared) = largestDifference(trace, stored: contents.activations)
        let line = String(format: "largest difference from the stored activations: %g%@ over %d values%@", difference,
                          worst.map { " (value '\($0)')" } ?? "", compared,
                          contents.isHalf ? " (stored as float16)" : "")
        let report = RunReport(model: contents.model, trace: trace, top: command.top, loadMS: openMS, runMS: runMS)
        if command.json {
            print(try report.json())
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(report.text())
            print(line)
        }
        if let failure { throw failure }
    }

    /// Largest |live − stored| over values present in both (NaN where one side is NaN and the other not).
    static func largestDifference(_ trace: Trace, stored: SnapshotActivations) -> (Double, String?, Int) {
        var largest = 0.0, worst: String?, compared = 0
        for name in stored.order {
            guard let live = trace.tensor(named: name), let kept = stored.tensor(named: name) else { continue }
            compared += 1
            guard live.shape == kept.shape else { return (.infinity, name, compared) }
            let a = live.doubles, b = kept.doubles
            for i in a.indices {
                let d = a[i] == b[i] || (a[i].isNaN && b[i].isNaN) ? 0 : abs(a[i] - b[i])
                if !(d <= largest) { (largest, worst) = (d.isNaN ? .infinity : d, name) }
            }
        }
        return (largest, worst, compared)
    }
}

import CGL
import Dispatch
import Scene

/// Times whole frames of a scene drawn offscreen, for `strata bench --frames N`.
public enum FrameBenchmark {
    /// Draws `scene` `frames` times at `width`×`height` (after two untimed warm-up frames that upload the
    /// activations and compile the driver's shader variants) and returns each frame's time in
    /// milliseconds, `glFinish` included so the GPU (or llvmpipe) work is counted.
    public static func measure(scene: Scene, activations: ActivationSource?, frames: Int, width: Int = 1280,
                               height: Int = 800, samples: Int = 1, shaders: ShaderLibrary = ShaderLibrary()) throws
        -> [Double] {
        let renderer = try OffscreenRenderer(shaders: shaders, samples: samples)
        return try renderer.withCurrentContext(width: width, height: height) { sceneRenderer, target in
            target.bind()
            for _ in 0..<2 {
                try sceneRenderer.draw(scene, activations: activations, width: width, height: height)
                glFinish()
            }
            var times: [Double] = []
            times.reserveCapacity(max(frames, 0))
            for _ in 0..<max(frames, 0) {
                let start = DispatchTime.now().uptimeNanoseconds
                try sceneRenderer.draw(scene, activations: activations, width: width, height: height)
                glFinish()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return times
        }
    }

    /// Times the same scene drawn without and with a 2D overlay (the viewer's UI), frame by frame in
    /// alternation so a noisy machine slows both alike. `overlay` builds the overlay for a frame (its cost is
    /// counted) from the renderer's font metrics and the frame size, and says which part of the frame its
    /// docked panels leave for the 3D view (drawn there only from the next frame on, as the viewer does).
    /// Returns each kind's frame times (ms).
    public static func measureWithOverlay(
        scene: Scene, activations: ActivationSource?, frames: Int, width: Int = 1280, height: Int = 800,
        shaders: ShaderLibrary = ShaderLibrary(),
        overlay: @escaping (FontMetrics, Int, Int) -> (list: OverlayDrawList, visible: (x: Int, y: Int, width: Int, height: Int)?)
    ) throws -> (plain: [Double], withOverlay: [Double]) {
        let renderer = try OffscreenRenderer(shaders: shaders, samples: 1)
        return try renderer.withCurrentContext(width: width, height: height) { sceneRenderer, target in
            target.bind()
            let metrics = sceneRenderer.fontMetrics
            var visible: (x: Int, y: Int, width: Int, height: Int)?
            func frame(_ withOverlay: Bool) throws -> Double {
                let start = DispatchTime.now().uptimeNanoseconds
                try sceneRenderer.draw(scene, activations: activations, width: width, height: height,
                                       visible: withOverlay ? visible : nil)
                if withOverlay {
                    let built = overlay(metrics, width, height)
                    visible = built.visible
                    try sceneRenderer.drawOverlay(built.list, width: width, height: height)
                }
                glFinish()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            }
            for _ in 0..<2 {
                _ = try frame(false)
                _ = try frame(true)
            }
            var plain: [Double] = [], withOverlay: [Double] = []
            for _ in 0..<max(frames, 0) {
                plain.append(try frame(false))
                withOverlay.append(try frame(true))
            }
            return (plain, withOverlay)
        }
    }

    /// The median of `times` (0 for none).
    public static func median(_ times: [Double]) -> Double {
        guard !times.isEmpty else { return 0 }
        let sorted = times.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

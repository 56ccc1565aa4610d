import Foundation
import Scene
import StrataCore
@testable import GLRenderer

/// Small hand-built scenes with known geometry and values, for pixel checks.
enum TestScenes {
    /// A camera looking straight down -z at the origin from `distance`.
    static func frontCamera(distance: Float = 10) -> Camera {
        Camera(pose: CameraPose(target: .zero, yaw: 0, pitch: 0, distance: distance))
    }

    /// One slab of a 1×1×2×2 tensor with values 0, 1, 2, 3, filling most of a front view.
    static func twoByTwoSlab(colormap: ColormapName = .standard, lo: Float = 0, hi: Float = 3) -> (Scene, TensorDictionarySource) {
        let tensor = Tensor(shape: [1, 1, 2, 2], floats: [0, 1, 2, 3])
        let ref = TensorRef(value: "x", shape: [1, 1, 2, 2], layout: .nchw, channel: 0, channelCount: 1,
                            lo: lo, hi: hi, colormap: colormap)
        let slab = SceneItem(kind: .slab, layer: "x", value: "x", channel: 0, position: .zero, size: Vec3(4, 4, 0.01),
                             tensor: ref)
        var state = ViewState()
        state.colormap = colormap
        let scene = Scene(items: [slab], camera: frontCamera(), bounds: slab.bounds, viewState: state)
        return (scene, TensorDictionarySource(["x": tensor]))
    }

    /// A single block at `position`.
    static func block(at position: Vec3, color: RGB = RGB(0.9, 0.2, 0.2)) -> Scene {
        let item = SceneItem(kind: .block, layer: "b", position: position, size: Vec3(1, 1, 1), color: color)
        return Scene(items: [item], camera: frontCamera(), bounds: item.bounds)
    }
}

/// Makes a fresh offscreen renderer using the repository's Shaders folder.
func makeRenderer(samples: Int = 1) throws -> OffscreenRenderer {
    try OffscreenRenderer(shaders: ShaderLibrary(folder: shadersFolder), samples: samples)
}

/// The repository's Shaders/ folder, found from this file's path.
let shadersFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Shaders")

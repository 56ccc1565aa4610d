import Foundation
import Scene
import StrataCore
import Testing
@testable import GLRenderer

/// Voxels and height fields: cells show up where their values say, and vanish where they should.
@Suite(.serialized) struct VolumeTests {
    static let width = 320, height = 240

    @Test func voxelsDropSmallCellsAndDrawLargeOnes() throws {
        let renderer = try makeRenderer()
        // One channel, one row, two columns: 0 (hidden) on the left, 1 (a cube) on the right.
        let ref = TensorRef(value: "v", shape: [1, 1, 1, 2], layout: .nchw, channel: 0, channelCount: 1, lo: 0, hi: 1)
        let item = SceneItem(kind: .voxels, layer: "v", value: "v", position: .zero, size: Vec3(4, 2, 2), tensor: ref)
        let scene = Scene(items: [item], camera: TestScenes.frontCamera(), bounds: item.bounds)
        let source = TensorDictionarySource(["v": Tensor(shape: [1, 1, 1, 2], floats: [0, 1])])
        let image = try renderer.render(scene, activations: source, width: Self.width, height: Self.height)
        let viewport = (Float(Self.width), Float(Self.height))
        let left = try #require(scene.camera.project(Vec3(-1, 0, 1), viewport: viewport))
        let right = try #require(scene.camera.project(Vec3(1, 0, 1), viewport: viewport))
        #expect(SceneGeometryTests.isBackground(image.pixel(x: Int(left.x), y: Int(left.y))))
        let cube = image.pixel(x: Int(right.x), y: Int(right.y))
        // The top of the default map is a light yellow; shading keeps it warm and bright.
        #expect(cube.x > 150 && cube.y > 120 && cube.z < cube.x, "voxel pixel \(cube)")
    }

    @Test func heightfieldRisesWhereValuesAreHigh() throws {
        let renderer = try makeRenderer()
        // A 2×2 map, seen from the front at eye level: the back-right cell (1) rises, the rest stay flat.
        let ref = TensorRef(value: "h", shape: [1, 1, 2, 2], layout: .nchw, channel: 0, lo: 0, hi: 1)
        let item = SceneItem(kind: .heightfield, layer: "h", value: "h", channel: 0, position: Vec3(0, 1, 0),
                             size: Vec3(4, 2, 4), tensor: ref)
        let camera = Camera(pose: CameraPose(target: Vec3(0, 1, 0), yaw: 0, pitch: 0.2, distance: 12))
        let scene = Scene(items: [item], camera: camera, bounds: item.bounds)
        let flat = TensorDictionarySource(["h": Tensor(shape: [1, 1, 2, 2], floats: [0, 0, 0, 0])])
        let raised = TensorDictionarySource(["h": Tensor(shape: [1, 1, 2, 2], floats: [0, 1, 0, 0])])
        let viewport = (Float(Self.width), Float(Self.height))
        // High above the floor over the right half: only a raised surface can cover it.
        let probe = try #require(camera.project(Vec3(1, 1.6, -1), viewport: viewport))
        let flatImage = try renderer.render(scene, activations: flat, width: Self.width, height: Self.height)
        let raisedImage = try renderer.render(scene, activations: raised, width: Self.width, height: Self.height)
        #expect(SceneGeometryTests.isBackground(flatImage.pixel(x: Int(probe.x), y: Int(probe.y))))
        #expect(!SceneGeometryTests.isBackground(raisedImage.pixel(x: Int(probe.x), y: Int(probe.y))))
    }

    @Test func frameBenchmarkTimesEveryFrame() throws {
        let (scene, source) = TestScenes.twoByTwoSlab()
        let times = try FrameBenchmark.measure(scene: scene, activations: source, frames: 3, width: 64, height: 48,
                                               shaders: ShaderLibrary(folder: shadersFolder))
        #expect(times.count == 3)
        #expect(times.allSatisfy { $0 > 0 })
        #expect(FrameBenchmark.median([3, 1, 2]) == 2 && FrameBenchmark.median([4, 1, 2, 3]) == 2.5)
    }
}

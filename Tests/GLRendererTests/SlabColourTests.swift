import Foundation
import Scene
import StrataCore
import Testing
@testable import GLRenderer

/// Pixels of a known 2×2 feature map: each cell must have its colormap colour.
@Suite(.serialized) struct SlabColourTests {
    static let size = (width: 320, height: 240)

    /// The on-screen centre of cell (x, y) of the test slab (4×4 units at the origin).
    static func cellCentre(_ x: Int, _ y: Int, camera: Camera) throws -> (Int, Int) {
        let world = Vec3(-1 + 2 * Float(x), 1 - 2 * Float(y), 0)
        let p = try #require(camera.project(world, viewport: (Float(size.width), Float(size.height))))
        return (Int(p.x), Int(p.y))
    }

    static func expectClose(_ pixel: SIMD4<UInt8>, _ colour: RGB, tolerance: Int = 2,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let (r, g, b) = colour.bytes
        let got = [Int(pixel.x), Int(pixel.y), Int(pixel.z)], want = [Int(r), Int(g), Int(b)]
        #expect(zip(got, want).allSatisfy { abs($0 - $1) <= tolerance }, "pixel \(got), expected \(want)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: [ColormapName.standard, .viridis, .grey, .diverging])
    func eachCellHasItsColormapColour(_ name: ColormapName) throws {
        let renderer = try makeRenderer()
        let (scene, source) = TestScenes.twoByTwoSlab(colormap: name)
        let image = try renderer.render(scene, activations: source, width: Self.size.width, height: Self.size.height)
        let map = Colormap.named(name)
        for (i, value) in [Float(0), 1, 2, 3].enumerated() {
            let (px, py) = try Self.cellCentre(i % 2, i / 2, camera: scene.camera)
            Self.expectClose(image.pixel(x: px, y: py), map.color(for: value, lo: 0, hi: 3))
        }
    }

    @Test func changingColormapOrRangeUploadsNothing() throws {
        let renderer = try makeRenderer()
        var (scene, source) = TestScenes.twoByTwoSlab()
        var uploads: [Int] = []
        for (map, hi) in [(ColormapName.standard, Float(3)), (.magma, 3), (.magma, 6)] {
            scene.viewState.colormap = map
            scene.items[0].tensor?.hi = hi
            let image = try renderer.render(scene, activations: source, width: Self.size.width, height: Self.size.height)
            let (px, py) = try Self.cellCentre(1, 1, camera: scene.camera)
            Self.expectClose(image.pixel(x: px, y: py), Colormap.named(map).color(for: 3, lo: 0, hi: hi))
            uploads.append(renderer.uploadCount)
        }
        #expect(uploads == [1, 1, 1])
        source = TensorDictionarySource(["x": Tensor(shape: [1, 1, 2, 2], floats: [3, 2, 1, 0])])
        let image = try renderer.render(scene, activations: source, width: Self.size.width, height: Self.size.height)
        let (px, py) = try Self.cellCentre(0, 0, camera: scene.camera)
        Self.expectClose(image.pixel(x: px, y: py), Colormap.named(.magma).color(for: 3, lo: 0, hi: 6))
        #expect(renderer.uploadCount == 2, "a new tensor for the value is uploaded again")
    }

    @Test func nanAndInfinityHaveTheirOwnColours() throws {
        let renderer = try makeRenderer()
        let (scene, _) = TestScenes.twoByTwoSlab()
        let source = TensorDictionarySource(["x": Tensor(shape: [1, 1, 2, 2], floats: [.nan, .infinity, -.infinity, 1])])
        let image = try renderer.render(scene, activations: source, width: Self.size.width, height: Self.size.height)
        let map = Colormap.named(.standard)
        for (i, colour) in [map.nan, map.positiveInfinity, map.negativeInfinity].enumerated() {
            let (px, py) = try Self.cellCentre(i % 2, i / 2, camera: scene.camera)
            Self.expectClose(image.pixel(x: px, y: py), colour)
        }
    }

    @Test func channelsLastTensorsShowTheSameMaps() throws {
        let renderer = try makeRenderer()
        // Two channels, 2×2, NHWC: channel 1 holds 10, 11, 12, 13.
        let nhwc = Tensor(shape: [1, 2, 2, 2], floats: [0, 10, 1, 11, 2, 12, 3, 13])
        let ref = TensorRef(value: "x", shape: [1, 2, 2, 2], layout: .nhwc, channel: 1, lo: 10, hi: 13)
        let slab = SceneItem(kind: .slab, layer: "x", value: "x", channel: 1, position: .zero, size: Vec3(4, 4, 0.01),
                             tensor: ref)
        let scene = Scene(items: [slab], camera: TestScenes.frontCamera(), bounds: slab.bounds)
        let image = try renderer.render(scene, activations: TensorDictionarySource(["x": nhwc]),
                                        width: Self.size.width, height: Self.size.height)
        for (i, value) in [Float(10), 11, 12, 13].enumerated() {
            let (px, py) = try Self.cellCentre(i % 2, i / 2, camera: scene.camera)
            Self.expectClose(image.pixel(x: px, y: py), Colormap.named(.standard).color(for: value, lo: 10, hi: 13))
        }
    }

    @Test func selectedCellIsOutlined() throws {
        let renderer = try makeRenderer()
        var (scene, source) = TestScenes.twoByTwoSlab()
        let viewport = (Float(Self.size.width), Float(Self.size.height))
        // Just inside the left edge of cell (1, 0), which spans x 0...2, y 0...2.
        let p = try #require(scene.camera.project(Vec3(0.05, 1, 0), viewport: viewport))
        let plain = try renderer.render(scene, activations: source, width: Self.size.width, height: Self.size.height)
        scene.viewState.selection = Selection(layer: "x", channel: 0, cell: Cell(x: 1, y: 0))
        let selected = try renderer.render(scene, activations: source, width: Self.size.width, height: Self.size.height)
        Self.expectClose(plain.pixel(x: Int(p.x), y: Int(p.y)), Colormap.named(.standard).color(for: 1, lo: 0, hi: 3))
        let ring = selected.pixel(x: Int(p.x), y: Int(p.y))
        #expect(ring.x > 200 && ring.y > 150 && ring.z < 120, "selected cell outline pixel \(ring)")
        // The cell's centre keeps its colour.
        let (cx, cy) = try Self.cellCentre(1, 0, camera: scene.camera)
        Self.expectClose(selected.pixel(x: cx, y: cy), Colormap.named(.standard).color(for: 1, lo: 0, hi: 3))
    }
}

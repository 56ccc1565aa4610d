import Foundation
import Scene
import StrataCore
import Testing
@testable import GLRenderer

/// Where things land on screen: blocks where the camera projects them, the background elsewhere.
@Suite(.serialized) struct SceneGeometryTests {
    static let width = 320, height = 240

    static func isBackground(_ p: SIMD4<UInt8>) -> Bool {
        // The background is a dark blue-grey gradient: every channel below 70, blue the largest.
        p.x < 70 && p.y < 70 && p.z < 70 && p.z >= p.x
    }

    @Test(arguments: [Vec3(2, 1, 0), Vec3(-2.5, -1.5, 0), Vec3(1.5, -0.5, -3)])
    func blockAppearsWhereTheCameraProjectsIt(_ position: Vec3) throws {
        let renderer = try makeRenderer()
        let scene = TestScenes.block(at: position)
        let image = try renderer.render(scene, activations: nil, width: Self.width, height: Self.height)
        let p = try #require(scene.camera.project(position, viewport: (Float(Self.width), Float(Self.height))))
        let centre = image.pixel(x: Int(p.x), y: Int(p.y))
        #expect(centre.x > 120 && centre.x > centre.y * 2, "block centre pixel \(centre) is not the block's red")
        // Mirror the point through the image centre: nothing is drawn there.
        let mirrored = image.pixel(x: Self.width - 1 - Int(p.x), y: Self.height - 1 - Int(p.y))
        #expect(Self.isBackground(mirrored), "mirrored pixel \(mirrored) should be background")
    }

    @Test func emptySceneIsTheBackgroundGradient() throws {
        let renderer = try makeRenderer()
        let scene = Scene(items: [], camera: TestScenes.frontCamera(), bounds: .empty)
        let image = try renderer.render(scene, activations: nil, width: Self.width, height: Self.height)
        let palette = DrawListPass.Palette()
        let top = image.pixel(x: Self.width / 2, y: 0), bottom = image.pixel(x: Self.width / 2, y: Self.height - 1)
        func bytes(_ c: SIMD3<Float>) -> [Int] { [c.x, c.y, c.z].map { Int(($0 * 255).rounded()) } }
        func near(_ p: SIMD4<UInt8>, _ c: SIMD3<Float>) -> Bool {
            zip([Int(p.x), Int(p.y), Int(p.z)], bytes(c)).allSatisfy { abs($0 - $1) <= 3 }
        }
        #expect(near(top, palette.backgroundTop), "top \(top)")
        #expect(near(bottom, palette.backgroundBottom), "bottom \(bottom)")
        #expect(top.w == 255 && bottom.w == 255)
        for y in stride(from: 0, to: Self.height, by: 20) { #expect(Self.isBackground(image.pixel(x: 5, y: y))) }
    }

    @Test func selectedBlockIsOutlinedInTheSelectionColour() throws {
        let renderer = try makeRenderer()
        var scene = TestScenes.block(at: .zero, color: RGB(0.2, 0.3, 0.8))
        let viewport = (Float(Self.width), Float(Self.height))
        let edge = try #require(scene.camera.project(Vec3(0.5, 0, 0.5), viewport: viewport))
        let plain = try renderer.render(scene, activations: nil, width: Self.width, height: Self.height)
        scene.viewState.selection = Selection(layer: "b")
        let selected = try renderer.render(scene, activations: nil, width: Self.width, height: Self.height)
        let x = Int(edge.x) - 1, y = Int(edge.y)
        let before = plain.pixel(x: x, y: y), after = selected.pixel(x: x, y: y)
        #expect(after.x > 200 && after.y > 150 && after.z < 120, "selected outline pixel \(after)")
        #expect(before.x < 100, "unselected outline pixel \(before) is a dark blue")
    }

    @Test func labelsAreDrawnAtTheirAnchor() throws {
        let renderer = try makeRenderer()
        let label = SceneItem(kind: .label, layer: "l", position: Vec3(0, 0, 0), size: Vec3(0, 1.2, 0), text: "HHHH")
        let scene = Scene(items: [label], camera: TestScenes.frontCamera(), bounds: label.bounds)
        let image = try renderer.render(scene, activations: nil, width: Self.width, height: Self.height)
        // The text sits just above its anchor, centred on it: bright pixels there, none far below.
        var bright = 0
        for y in (Self.height / 2 - 50)..<(Self.height / 2) {
            for x in (Self.width / 2 - 40)..<(Self.width / 2 + 40) where image.pixel(x: x, y: y).x > 200 { bright += 1 }
        }
        #expect(bright > 100, "only \(bright) bright text pixels above the anchor")
        for y in stride(from: Self.height / 2 + 40, to: Self.height, by: 4) {
            #expect(Self.isBackground(image.pixel(x: Self.width / 2, y: y)))
        }
    }

    @Test func barsRiseToTheirValues() throws {
        let renderer = try makeRenderer()
        // Two elements: 1.0 (full height) and 0.0 (a sliver), side by side along z, seen from the side.
        let ref = TensorRef(value: "v", shape: [1, 2], layout: .vector, channel: 0, channelCount: 2, lo: 0, hi: 1)
        let bars = SceneItem(kind: .bars, layer: "v", value: "v", position: .zero, size: Vec3(1, 4, 4), tensor: ref)
        let camera = Camera(pose: CameraPose(target: .zero, yaw: .pi / 2, pitch: 0, distance: 10))
        let scene = Scene(items: [bars], camera: camera, bounds: bars.bounds)
        let source = TensorDictionarySource(["v": Tensor(shape: [1, 2], floats: [1, 0])])
        let image = try renderer.render(scene, activations: source, width: Self.width, height: Self.height)
        let viewport = (Float(Self.width), Float(Self.height))
        // Element 0 sits at the front (+z), element 1 at the back; near the top only element 0 reaches.
        let high0 = try #require(camera.project(Vec3(0.5, 1.5, 1), viewport: viewport))
        let high1 = try #require(camera.project(Vec3(0.5, 1.5, -1), viewport: viewport))
        #expect(!Self.isBackground(image.pixel(x: Int(high0.x), y: Int(high0.y))))
        #expect(Self.isBackground(image.pixel(x: Int(high1.x), y: Int(high1.y))))
    }
}

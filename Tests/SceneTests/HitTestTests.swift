import StrataCore
import Testing

@testable import Scene

@Suite struct HitTestTests {
    static let viewport: (width: Float, height: Float) = (1024, 768)

    /// Projects the centre of cell (x, y) of `slab` to the screen and casts a ray back through it.
    func roundTrip(_ scene: Scene, _ slab: SceneItem, x: Int, y: Int, trace: TensorDictionarySource) -> Hit? {
        let ref = slab.tensor!
        let b = slab.bounds
        let p = Vec3(
            b.min.x + (Float(x) + 0.5) * b.size.x / Float(ref.width),
            b.max.y - (Float(y) + 0.5) * b.size.y / Float(ref.height), b.max.z)
        let pixel = scene.camera.project(p, viewport: Self.viewport)!
        return scene.hitTest(scene.camera.ray(throughPixel: pixel, viewport: Self.viewport), activations: trace)
    }

    @Test(arguments: [ViewMode.grid, .stack, .values])
    func slabCellRoundTrip(mode: ViewMode) {
        let (b, trace) = smallModel()
        var scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: mode))
        let slab = scene.items.first { $0.kind == .slab && $0.channel == 0 }!
        scene.camera = Camera.framing(slab.bounds)
        scene.camera.goal.yaw = 0.2
        scene.camera.goal.pitch = 0.1
        scene.camera.snap()
        for (x, y) in [(0, 0), (4, 2), (2, 1), (3, 0)] {
            let hit = roundTrip(scene, slab, x: x, y: y, trace: trace)
            #expect(hit?.kind == .slab && hit?.layer == "conv" && hit?.channel == 0)
            #expect(hit?.cell == Cell(x: x, y: y))
            #expect(hit?.cellValue == Float(y * 5 + x))
        }
    }

    @Test func gridPicksTheRightChannel() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace, viewState: ViewState(expanded: ["conv"]))
        for slab in scene.items where slab.kind == .slab {
            let hit = roundTrip(scene, slab, x: 1, y: 2, trace: trace)
            #expect(hit?.channel == slab.channel)
            #expect(hit?.cellValue == Float(slab.channel! * 15 + 2 * 5 + 1))
        }
    }

    @Test func frontMostItemWins() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .stack))
        let slabs = scene.items.filter { $0.kind == .slab }
        let front = Ray(origin: slabs[0].position + Vec3(0, 0, 50), direction: Vec3(0, 0, -1))
        #expect(scene.hitTest(front, activations: trace)?.channel == 0)
        let back = Ray(origin: slabs[0].position - Vec3(0, 0, 50), direction: Vec3(0, 0, 1))
        #expect(scene.hitTest(back, activations: trace)?.channel == 3)
    }

    @Test func closedBlocksAreHitWithoutActivations() {
        let b = GraphBuilder.sequential()
        let scene = SceneBuilder.build(graph: b.graph, types: b.types)
        let pool = scene.items.first { $0.layer == "pool" && $0.kind == .block }!
        let hit = scene.hitTest(Ray(origin: pool.position + Vec3(0, 30, 0), direction: Vec3(0, -1, 0)))
        #expect(hit?.layer == "pool" && hit?.kind == .block && hit?.cellValue == nil)
        #expect(scene.hitTest(Ray(origin: Vec3(0, 100, 0), direction: Vec3(0, 1, 0))) == nil)
    }

    @Test func heightfieldHitFollowsTheSurface() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv"], mode: .heightfield, heightfieldChannel: 3))
        let field = scene.items.first { $0.kind == .heightfield }!
        let bx = field.bounds
        // Straight down onto cell (4, 2): value 59 = the top of the range, so the surface is the box's top.
        let top = Vec3(bx.min.x + 4.5 * bx.size.x / 5, bx.max.y + 10, bx.min.z + 2.5 * bx.size.z / 3)
        let hit = scene.hitTest(Ray(origin: top, direction: Vec3(0, -1, 0)), activations: trace)
        #expect(hit?.cell == Cell(x: 4, y: 2) && hit?.channel == 3 && hit?.cellValue == 59)
        #expect(abs(hit!.point.y - bx.max.y) < 0.01)
        // Cell (0, 0) holds 45, a quarter up a 0...59 range.
        let low = Vec3(bx.min.x + 0.5 * bx.size.x / 5, bx.max.y + 10, bx.min.z + 0.5 * bx.size.z / 3)
        let lowHit = scene.hitTest(Ray(origin: low, direction: Vec3(0, -1, 0)), activations: trace)!
        #expect(abs(lowHit.point.y - (bx.min.y + 45.0 / 59 * bx.size.y)) < 0.01)
    }

    @Test func voxelsAndBarsReportChannelAndCell() {
        let (b, trace) = smallModel()
        let scene = SceneBuilder.build(
            graph: b.graph, types: b.types, trace: trace,
            viewState: ViewState(expanded: ["conv", "fc"], mode: .voxels))
        let vox = scene.items.first { $0.kind == .voxels }!
        let v = vox.bounds
        // Enter the front face (channel 0) at cell (x 1, y 2).
        let p = Vec3(v.min.x + 1.5 * v.size.x / 5, v.max.y - 2.5 * v.size.y / 3, v.max.z + 5)
        let hit = scene.hitTest(Ray(origin: p, direction: Vec3(0, 0, -1)), activations: trace)
        #expect(hit?.kind == .voxels && hit?.channel == 0 && hit?.cell == Cell(x: 1, y: 2) && hit?.cellValue == 11)
        let bars = scene.items.first { $0.kind == .bars }!
        let bb = bars.bounds
        let q = Vec3(bb.center.x, bb.max.y + 5, bb.max.z - 1.5 * bb.size.z / 6)
        let barHit = scene.hitTest(Ray(origin: q, direction: Vec3(0, -1, 0)), activations: trace)
        #expect(barHit?.kind == .bars && barHit?.channel == 1 && barHit?.cellValue == -1)
    }
}

import Foundation
import Scene
import Testing
@testable import GLRenderer

/// The overlay pass draws rectangles and glyphs in separate draws; the list's order must still hold.
@Suite(.serialized) struct OverlayOrderTests {
    static let white = SIMD4<Float>(1, 1, 1, 1), black = SIMD4<Float>(0, 0, 0, 1), red = SIMD4<Float>(1, 0, 0, 1)

    func render(_ list: OverlayDrawList, width: Int = 200, height: Int = 80) throws -> RenderedImage {
        let renderer = try makeRenderer()
        let empty = Scene(items: [], camera: Camera(), bounds: AABB(center: .zero, size: Vec3(1, 1, 1)))
        return try renderer.withCurrentContext(width: width, height: height) { r, target in
            _ = try r.render(empty, activations: nil, into: target)
            target.bind()
            try r.drawOverlay(list, width: width, height: height)
            return RenderedImage(width: width, height: height, bottomUpRGBA: target.readPixels())
        }
    }

    /// Pixels in `x0..<x1` × `y0..<y1` that are dark (text on white).
    func darkPixels(_ image: RenderedImage, _ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int) -> Int {
        var n = 0
        for y in y0..<y1 {
            for x in x0..<x1 where Int(image.pixel(x: x, y: y).x) < 100 { n += 1 }
        }
        return n
    }

    @Test func aRectangleDrawnAfterTextCoversIt() throws {
        var list = OverlayDrawList()
        list.rect(x: 0, y: 0, width: 200, height: 80, color: Self.white)
        list.text("MMMMMMMMMMMM", x: 10, y: 20, size: 20, color: Self.black)
        list.rect(x: 100, y: 0, width: 100, height: 80, color: Self.red)
        list.text("MMMM", x: 110, y: 20, size: 20, color: Self.black)
        let image = try render(list)
        #expect(darkPixels(image, 10, 95, 20, 45) > 50, "text before the red rect shows on white")
        let redArea = (100..<108).map { image.pixel(x: $0, y: 60) }
        #expect(redArea.allSatisfy { $0.x > 240 && $0.y < 15 && $0.z < 15 }, "the red rect covers what was under it")
        #expect(darkPixels(image, 110, 190, 20, 45) > 20, "text after the red rect shows on it")
        let underRed = (0..<80).filter { y in (100..<108).contains { x in image.pixel(x: x, y: y).x < 200 } }
        #expect(underRed.isEmpty, "no earlier glyph shows through the later rect")
    }

    @Test func textAndRectanglesThatDoNotOverlapShareOneBatch() throws {
        var list = OverlayDrawList()
        for i in 0..<10 {
            list.rect(x: Float(i) * 20, y: 0, width: 18, height: 18, color: Self.white)
            list.text("a", x: Float(i) * 20 + 2, y: 0, size: 12, color: Self.black)
        }
        list.rect(x: 0, y: 40, width: 200, height: 10, color: Self.red)
        let renderer = try makeRenderer()
        let batches = try renderer.withCurrentContext(width: 8, height: 8) { r, _ in r.overlayBatches(list) }
        #expect(batches == 1)
        list.rect(x: 0, y: 0, width: 30, height: 10, color: Self.red)
        let more = try renderer.withCurrentContext(width: 8, height: 8) { r, _ in r.overlayBatches(list) }
        #expect(more == 2)
    }
}

import Foundation
import GLRenderer
import Scene
import Testing
@testable import UI

/// The inspector's heat map drawn by the real overlay pass offscreen (surfaceless EGL, or llvmpipe under
/// Xvfb): cell colours are the colormap's for their values, and annotated cells carry text pixels.
@Suite(.serialized) struct InspectorPixelTests {
    static let shaders = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Shaders")
    static let size = (width: 420, height: 520)

    /// A 4×4 ramp 0…15 over the range 0…15.
    static let ramp = InspectorTensor(plane: (0..<16).map(Float.init), width: 4, height: 4, lo: 0, hi: 15,
                                      colormap: .viridis)

    /// Lays out the heat map of `tensor` in a panel `mapHeight` pixels deep with the font's real metrics,
    /// draws it offscreen and returns the image, the cell size and the map's top-left corner.
    func render(_ tensor: InspectorTensor, mapHeight: Float) throws
        -> (image: RenderedImage, cellSize: Float, origin: (x: Float, y: Float)) {
        let renderer = try OffscreenRenderer(shaders: ShaderLibrary(folder: Self.shaders), samples: 1)
        let metrics = try renderer.withCurrentContext(width: 8, height: 8) { r, _ in r.fontMetrics }
        let ui = UIContext(metrics: metrics)
        var state = InspectorState(tab: .heatMap)
        ui.beginFrame(width: Float(Self.size.width), height: Float(Self.size.height))
        ui.beginPanel(nil, rect: UIRect(x: 0, y: 0, width: Float(Self.size.width), height: Float(Self.size.height)))
        HeatMapView.draw(ui, tensor: tensor, state: &state, maxHeight: mapHeight)
        ui.endPanel()
        let list = ui.endFrame()
        // The top-left cell's rect gives the map's corner and the cell size (its height).
        let first = try #require(firstRect(colored: tensor.color(of: tensor.values[0]), in: list))
        let empty = Scene(items: [], camera: Camera(), bounds: AABB(center: .zero, size: Vec3(1, 1, 1)))
        let image = try renderer.withCurrentContext(width: Self.size.width, height: Self.size.height) { r, target in
            _ = try r.render(empty, activations: nil, into: target)
            target.bind()
            try r.drawOverlay(list, width: target.width, height: target.height)
            return RenderedImage(width: target.width, height: target.height, bottomUpRGBA: target.readPixels())
        }
        return (image, first.height, (first.x, first.y))
    }

    func firstRect(colored color: SIMD4<Float>, in list: OverlayDrawList) -> OverlayDrawList.Rect? {
        for case let .rect(r) in list.commands where r.color == color { return r }
        return nil
    }

    /// True when every channel of `pixel` is within `tolerance` of `color` (0…1 RGB).
    func matches(_ pixel: SIMD4<UInt8>, _ color: SIMD4<Float>, tolerance: Int = 3) -> Bool {
        let expected = [color.x, color.y, color.z].map { Int(($0 * 255).rounded()) }
        return (0..<3).allSatisfy { abs(Int(pixel[$0]) - expected[$0]) <= tolerance }
    }

    @Test func cellCentresHaveTheColormapColourOfTheirValues() throws {
        // Cells of 24 px are too small for text (`HeatMapView.minLabelSize`), so centres show colour only.
        let (image, cellSize, origin) = try render(Self.ramp, mapHeight: 96 + 60)
        #expect(cellSize < HeatMapView.minLabelSize / 0.3)
        for j in 0..<4 {
            for i in 0..<4 {
                let x = Int(origin.x + (Float(i) + 0.5) * cellSize)
                let y = Int(origin.y + (Float(j) + 0.5) * cellSize)
                let expected = Self.ramp.color(of: Float(j * 4 + i))
                let pixel = image.pixel(x: x, y: y)
                #expect(matches(pixel, expected), "cell (\(i), \(j)) at (\(x), \(y)): \(pixel) vs \(expected)")
            }
        }
    }

    @Test func annotatedCellsCarryTextPixelsAndKeepTheirColourAroundIt() throws {
        let (image, cellSize, origin) = try render(Self.ramp, mapHeight: 500)
        #expect(cellSize >= 60)
        if ProcessInfo.processInfo.environment["STRATA_KEEP_PIXELS"] != nil {
            try image.writePNG(to: "/tmp/strata-inspector-heatmap.png")
        }
        for (i, j) in [(0, 0), (3, 0), (1, 2), (3, 3)] {
            let x0 = Int(origin.x + Float(i) * cellSize), y0 = Int(origin.y + Float(j) * cellSize)
            let s = Int(cellSize)
            let expected = Self.ramp.color(of: Float(j * 4 + i))
            #expect(matches(image.pixel(x: x0 + 3, y: y0 + 3), expected), "corner of cell (\(i), \(j))")
            var text = 0
            for y in (y0 + s / 4)..<(y0 + 3 * s / 4) {
                for x in (x0 + s / 8)..<(x0 + 7 * s / 8) where !matches(image.pixel(x: x, y: y), expected, tolerance: 40) {
                    text += 1
                }
            }
            #expect(text > 15, "text pixels in cell (\(i), \(j)): \(text)")
        }
    }
}

extension SceneRenderer {
    /// Draws `list` over the bound framebuffer (`width`×`height` pixels); call after `draw(_:…)`.
    public func drawOverlay(_ list: OverlayDrawList, width: Int, height: Int) throws {
        try overlay.draw(list, width: width, height: height)
    }

    /// How many rectangle-then-glyph batches the overlay pass draws `list` in (for tests).
    func overlayBatches(_ list: OverlayDrawList) -> Int { overlay.vertexData(list).batches.count }

    /// The overlay font's metrics, for laying out text without GL calls.
    public var fontMetrics: FontMetrics {
        let atlas = pass.atlas
        var advances: [Unicode.Scalar: Float] = [:]
        for (scalar, glyph) in atlas.glyphs { advances[scalar] = glyph.advance }
        return FontMetrics(advances: advances, fallback: atlas.glyphs["?"]?.advance ?? 0.6, lineHeight: atlas.lineHeight)
    }
}

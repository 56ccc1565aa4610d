/// Glyph instances for billboarded labels, laid out in em units around each label's anchor.
///
/// One instance is 18 floats: anchor xyz, quad rect (x, y, w, h in em), atlas uv rect, colour rgba, world
/// units per em, the smallest em in pixels and a planar flag; `text.vert` turns them into quads.
struct TextBatch {
    static let floatsPerGlyph = 18
    private(set) var instances: [Float] = []

    var glyphCount: Int { instances.count / Self.floatsPerGlyph }

    /// Horizontal placement of a label's lines relative to its anchor.
    enum Alignment { case left, center }

    /// Adds `text` (lines split at "\n"), centred or left-aligned on the anchor. Billboarded text sits just
    /// above its anchor; planar text (in the x-y plane, for values on a slab) is centred on it vertically
    /// too. `height` is the em size in world units; `minPixels` (if > 0) keeps a far label's em at least that
    /// many pixels tall.
    mutating func add(_ text: String, at anchor: SIMD3<Float>, height: Float, color: SIMD4<Float>,
                      minPixels: Float = 0, planar: Bool = false, alignment: Alignment = .center, atlas: GlyphAtlas) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Lines stack downward from the top line; the last line's descenders clear the anchor.
        var baseline = Float(lines.count - 1) * atlas.lineHeight + (planar ? -0.36 : 0.25)
        for line in lines {
            var pen = alignment == .center ? -atlas.width(of: line) / 2 : 0
            for scalar in line.unicodeScalars {
                guard let glyph = atlas.glyphs[scalar] ?? atlas.glyphs["?"] else { continue }
                if glyph.width > 0, glyph.height > 0 {
                    instances += [anchor.x, anchor.y, anchor.z,
                                  pen + glyph.x, baseline + glyph.y, glyph.width, glyph.height,
                                  glyph.uv.x, glyph.uv.y, glyph.uv.z, glyph.uv.w,
                                  color.x, color.y, color.z, color.w, height, minPixels, planar ? 1 : 0]
                }
                pen += glyph.advance
            }
            baseline -= atlas.lineHeight
        }
    }
}

import CFreeType
import CGL
import Foundation

/// Glyphs of one font rasterised by FreeType into an atlas texture, with metrics in em units (1 em = the
/// pixel size the glyphs were rendered at). Red is the glyph's coverage, green the coverage dilated by
/// `haloRadius` pixels: one texture read gives both a glyph and its dark outline.
final class GlyphAtlas {
    /// Where a glyph sits relative to the pen and in the atlas.
    struct Glyph {
        /// Quad rectangle relative to the pen on the baseline, in em (y up): the bitmap plus the halo margin.
        var x: Float, y: Float, width: Float, height: Float
        /// Atlas rectangle: u0, v0 (top-left), u1, v1 (bottom-right).
        var uv: SIMD4<Float>
        /// Pen advance in em.
        var advance: Float
    }

    /// The default font: DejaVu Sans from Debian's fonts-dejavu-core.
    static let defaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    /// Characters rendered: printable ASCII and the few symbols labels use.
    static let characters: [Unicode.Scalar] = (32...126).compactMap(Unicode.Scalar.init) + ["×", "…", "−", "µ", "°", "→", "·", "–", "◀", "▶", "▲", "▼"]

    let texture = GLTexture(target: GL_TEXTURE_2D)
    /// Halo width in atlas pixels.
    static let haloRadius = 3
    private(set) var glyphs: [Unicode.Scalar: Glyph] = [:]
    /// Distance between baselines, in em.
    let lineHeight: Float = 1.25

    /// Rasterises `characters` of the font at `path` at `pixelSize` and uploads the atlas. Needs a current context.
    init(fontPath: String = GlyphAtlas.defaultFontPath, pixelSize: Int = 48) throws {
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else {
            throw RenderError.font(file: fontPath, message: "FreeType did not initialise")
        }
        defer { FT_Done_FreeType(library) }
        var face: FT_Face?
        let openError = FT_New_Face(library, fontPath, 0, &face)
        guard openError == 0, let face else {
            let why = FileManager.default.fileExists(atPath: fontPath) ? "FreeType error \(openError)"
                : "no such file (install fonts-dejavu-core)"
            throw RenderError.font(file: fontPath, message: why)
        }
        defer { FT_Done_Face(face) }
        FT_Set_Pixel_Sizes(face, 0, FT_UInt(pixelSize))
        let (pixels, atlasSize) = rasterize(face: face, pixelSize: pixelSize)
        upload(pixels, size: atlasSize)
    }

    /// Renders every glyph and packs it into rows of a square RG atlas; returns the atlas bytes and its side.
    private func rasterize(face: FT_Face, pixelSize: Int) -> ([UInt8], Int) {
        let side = 1024, r = Self.haloRadius, padding = 2
        var pixels = [UInt8](repeating: 0, count: side * side * 2)
        var penX = padding, penY = padding, rowHeight = 0
        let em = Float(pixelSize)
        for scalar in Self.characters {
            guard FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_RENDER)) == 0 else { continue }
            let slot = face.pointee.glyph.pointee
            let bitmap = slot.bitmap
            let w = Int(bitmap.width) + 2 * r, h = Int(bitmap.rows) + 2 * r
            if penX + w + padding > side {
                penX = padding
                penY += rowHeight + padding
                rowHeight = 0
            }
            guard penY + h + padding <= side else { break }
            let cell = Self.coverageWithHalo(bitmap, radius: r)
            for row in 0..<h {
                for col in 0..<w {
                    let dst = ((penY + row) * side + penX + col) * 2
                    pixels[dst] = cell.coverage[row * w + col]
                    pixels[dst + 1] = cell.halo[row * w + col]
                }
            }
            let s = Float(side)
            glyphs[scalar] = Glyph(
                x: Float(Int(slot.bitmap_left) - r) / em, y: Float(Int(slot.bitmap_top) - Int(bitmap.rows) - r) / em,
                width: Float(w) / em, height: Float(h) / em,
                uv: SIMD4(Float(penX) / s, Float(penY) / s, Float(penX + w) / s, Float(penY + h) / s),
                advance: Float(slot.advance.x) / 64 / em)
            penX += w + padding
            rowHeight = max(rowHeight, h)
        }
        return (pixels, side)
    }

    /// The glyph's coverage on a canvas `radius` pixels larger on each side, and that coverage dilated by
    /// `radius` (a separable max filter).
    private static func coverageWithHalo(_ bitmap: FT_Bitmap, radius r: Int) -> (coverage: [UInt8], halo: [UInt8]) {
        let bw = Int(bitmap.width), bh = Int(bitmap.rows)
        let w = bw + 2 * r, h = bh + 2 * r
        var coverage = [UInt8](repeating: 0, count: w * h)
        if let buffer = bitmap.buffer {
            for row in 0..<bh {
                let src = buffer.advanced(by: row * Int(bitmap.pitch))
                for col in 0..<bw { coverage[(row + r) * w + col + r] = src[col] }
            }
        }
        var across = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var m: UInt8 = 0
                for k in max(0, x - r)...min(w - 1, x + r) { m = max(m, coverage[y * w + k]) }
                across[y * w + x] = m
            }
        }
        var halo = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var m: UInt8 = 0
                for k in max(0, y - r)...min(h - 1, y + r) { m = max(m, across[k * w + x]) }
                halo[y * w + x] = m
            }
        }
        return (coverage, halo)
    }

    private func upload(_ pixels: [UInt8], size: Int) {
        glBindTexture(glEnum(GL_TEXTURE_2D), texture.id)
        glPixelStorei(glEnum(GL_UNPACK_ALIGNMENT), 1)
        pixels.withUnsafeBytes {
            glTexImage2D(glEnum(GL_TEXTURE_2D), 0, GL_RG8, GLsizei(size), GLsizei(size), 0, glEnum(GL_RG),
                         glEnum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        glGenerateMipmap(glEnum(GL_TEXTURE_2D))
        let target = glEnum(GL_TEXTURE_2D)
        glTexParameteri(target, glEnum(GL_TEXTURE_MIN_FILTER), GL_LINEAR_MIPMAP_NEAREST)
        glTexParameteri(target, glEnum(GL_TEXTURE_MAG_FILTER), GL_LINEAR)
        glTexParameteri(target, glEnum(GL_TEXTURE_WRAP_S), GL_CLAMP_TO_EDGE)
        glTexParameteri(target, glEnum(GL_TEXTURE_WRAP_T), GL_CLAMP_TO_EDGE)
    }

    /// Width of `line` in em.
    func width(of line: Substring) -> Float {
        line.unicodeScalars.reduce(0) { $0 + (glyphs[$1]?.advance ?? glyphs["?"]?.advance ?? 0.5) }
    }
}

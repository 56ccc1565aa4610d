import CGL

/// Draws an `OverlayDrawList` over the bound framebuffer: one triangle list, one draw call, solid rects and
/// glyphs from the scene's glyph atlas in the same program.
final class OverlayPass {
    /// Floats per vertex: position xy (pixels), atlas uv, rgba, textured flag.
    static let floatsPerVertex = 9
    private let shaders: ShaderLibrary
    private let atlas: GlyphAtlas
    private let vertices = GLBuffer()
    private let vao = GLVertexArray()

    init(shaders: ShaderLibrary, atlas: GlyphAtlas) {
        self.shaders = shaders
        self.atlas = atlas
        let n = Self.floatsPerVertex
        for (index, (components, offset)) in [(2, 0), (2, 2), (4, 4), (1, 8)].enumerated() {
            vao.attribute(index, buffer: vertices, components: components, stride: n, offset: offset)
        }
    }

    func draw(_ list: OverlayDrawList, width: Int, height: Int) throws {
        guard !list.isEmpty else { return }
        var data: [Float] = []
        data.reserveCapacity(list.commands.count * 6 * Self.floatsPerVertex)
        for command in list.commands {
            switch command {
            case let .rect(r):
                quad(&data, r.x, r.y, r.width, r.height, uv: SIMD4(0, 0, 0, 0), color: r.color, textured: 0)
            case let .text(t):
                appendGlyphs(t, to: &data)
            }
        }
        let program = try shaders.program("overlay")
        program.use()
        program.set("uViewport", SIMD2<Float>(Float(width), Float(height)))
        program.set("uAtlas", 2)
        atlas.texture.bind(unit: 2)
        vertices.upload(data, dynamic: true)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glDisable(glEnum(GL_DEPTH_TEST))
        glEnable(glEnum(GL_BLEND))
        glBlendFunc(glEnum(GL_ONE), glEnum(GL_ONE_MINUS_SRC_ALPHA))
        vao.bind()
        glDrawArrays(glEnum(GL_TRIANGLES), 0, GLsizei(data.count / Self.floatsPerVertex))
        glBindVertexArray(0)
        glDisable(glEnum(GL_BLEND))
        try checkGLError("drawing the overlay")
    }

    private func appendGlyphs(_ t: OverlayDrawList.Text, to data: inout [Float]) {
        // The baseline sits about 0.95 em below the top of a 1.25 em line box (DejaVu's ascent).
        let baseline = t.y + 0.95 * t.size
        var pen = t.x
        for scalar in t.string.unicodeScalars {
            guard let g = atlas.glyphs[scalar] ?? atlas.glyphs["?"] else { continue }
            if g.width > 0, g.height > 0 {
                let top = baseline - (g.y + g.height) * t.size
                quad(&data, pen + g.x * t.size, top, g.width * t.size, g.height * t.size, uv: g.uv, color: t.color, textured: 1)
            }
            pen += g.advance * t.size
        }
    }

    /// Two triangles; `uv` is (u0, v0) at the top-left and (u1, v1) at the bottom-right.
    private func quad(_ data: inout [Float], _ x: Float, _ y: Float, _ w: Float, _ h: Float,
                      uv: SIMD4<Float>, color: SIMD4<Float>, textured: Float) {
        let corners: [(Float, Float, Float, Float)] = [
            (x, y, uv.x, uv.y), (x + w, y, uv.z, uv.y), (x + w, y + h, uv.z, uv.w),
            (x, y, uv.x, uv.y), (x + w, y + h, uv.z, uv.w), (x, y + h, uv.x, uv.w),
        ]
        for c in corners {
            data += [c.0, c.1, c.2, c.3, color.x, color.y, color.z, color.w, textured]
        }
    }
}

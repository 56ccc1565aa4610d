import CGL

/// Draws an `OverlayDrawList` over the bound framebuffer. Rectangles and glyphs go in separate draws (solid
/// fragments then sample no texture, which dominates a UI frame on a software rasteriser), batched so the
/// list's order still holds: a batch ends where a rectangle would cover text drawn before it.
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

    /// A run of the list drawn as its rectangles, then its glyphs: vertex ranges in the uploaded buffer. The
    /// rectangles come in runs of opaque ones (drawn without blending, cheaper in software) and translucent ones.
    struct Batch: Equatable {
        var solid: [SolidRun]
        var glyphs: Range<Int>
    }

    struct SolidRun: Equatable {
        var vertices: Range<Int>
        var opaque: Bool
    }

    func draw(_ list: OverlayDrawList, width: Int, height: Int) throws {
        guard !list.isEmpty else { return }
        let (data, batches) = vertexData(list)
        let solid = try shaders.program("overlay_solid")
        let text = try shaders.program("overlay")
        let viewport = SIMD2<Float>(Float(width), Float(height))
        solid.use()
        solid.set("uViewport", viewport)
        text.use()
        text.set("uViewport", viewport)
        text.set("uAtlas", 2)
        atlas.texture.bind(unit: 2)
        vertices.upload(data, dynamic: true)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glDisable(glEnum(GL_DEPTH_TEST))
        glEnable(glEnum(GL_BLEND))
        glBlendFunc(glEnum(GL_ONE), glEnum(GL_ONE_MINUS_SRC_ALPHA))
        vao.bind()
        for batch in batches {
            solid.use()
            for run in batch.solid {
                if run.opaque { glDisable(glEnum(GL_BLEND)) } else { glEnable(glEnum(GL_BLEND)) }
                glDrawArrays(glEnum(GL_TRIANGLES), GLint(run.vertices.lowerBound), GLsizei(run.vertices.count))
            }
            glEnable(glEnum(GL_BLEND))
            if !batch.glyphs.isEmpty {
                text.use()
                glDrawArrays(glEnum(GL_TRIANGLES), GLint(batch.glyphs.lowerBound), GLsizei(batch.glyphs.count))
            }
        }
        glBindVertexArray(0)
        glDisable(glEnum(GL_BLEND))
        try checkGLError("drawing the overlay")
    }

    /// The vertices of `list` (each batch's rectangles, then its glyphs) and the batches' vertex ranges.
    func vertexData(_ list: OverlayDrawList) -> (data: [Float], batches: [Batch]) {
        var data: [Float] = [], solid: [Float] = [], glyphs: [Float] = []
        var runs: [(count: Int, opaque: Bool)] = []
        var textBoxes: [SIMD4<Float>] = []
        var batches: [Batch] = []
        let n = Self.floatsPerVertex
        func flush() {
            var start = data.count / n
            data += solid
            var solidRuns: [SolidRun] = []
            for run in runs {
                solidRuns.append(SolidRun(vertices: start..<start + run.count, opaque: run.opaque))
                start += run.count
            }
            data += glyphs
            batches.append(Batch(solid: solidRuns, glyphs: start..<data.count / n))
            solid.removeAll(keepingCapacity: true)
            glyphs.removeAll(keepingCapacity: true)
            runs.removeAll(keepingCapacity: true)
            textBoxes.removeAll(keepingCapacity: true)
        }
        for command in list.commands {
            switch command {
            case let .rect(r):
                let box = SIMD4(r.x, r.y, r.x + r.width, r.y + r.height)
                if textBoxes.contains(where: { Self.overlaps($0, box) }) { flush() }
                quad(&solid, r.x, r.y, r.width, r.height, uv: SIMD4(0, 0, 0, 0), color: r.color, textured: 0)
                let opaque = r.color.w >= 1
                if let last = runs.last, last.opaque == opaque {
                    runs[runs.count - 1].count += 6
                } else {
                    runs.append((6, opaque))
                }
            case let .text(t):
                let right = appendGlyphs(t, to: &glyphs)
                textBoxes.append(SIMD4(t.x, t.y, right, t.y + 1.3 * t.size))
            }
        }
        if !solid.isEmpty || !glyphs.isEmpty { flush() }
        return (data, batches)
    }

    private static func overlaps(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> Bool {
        a.x < b.z && b.x < a.z && a.y < b.w && b.y < a.w
    }

    /// Appends the quads of `t`'s glyphs; returns where its pen stopped (the text's right edge).
    private func appendGlyphs(_ t: OverlayDrawList.Text, to data: inout [Float]) -> Float {
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
        return pen
    }

    /// Two triangles; `uv` is (u0, v0) at the top-left and (u1, v1) at the bottom-right. Appends in place:
    /// a UI frame has thousands of quads, so no temporary arrays per vertex.
    private func quad(_ data: inout [Float], _ x: Float, _ y: Float, _ w: Float, _ h: Float,
                      uv: SIMD4<Float>, color: SIMD4<Float>, textured: Float) {
        func vertex(_ px: Float, _ py: Float, _ u: Float, _ v: Float) {
            data.append(px)
            data.append(py)
            data.append(u)
            data.append(v)
            data.append(color.x)
            data.append(color.y)
            data.append(color.z)
            data.append(color.w)
            data.append(textured)
        }
        vertex(x, y, uv.x, uv.y)
        vertex(x + w, y, uv.z, uv.y)
        vertex(x + w, y + h, uv.z, uv.w)
        vertex(x, y, uv.x, uv.y)
        vertex(x + w, y + h, uv.z, uv.w)
        vertex(x, y + h, uv.x, uv.w)
    }
}

import CGL

extension DrawListPass {
    /// Blocks: one instanced draw of lit, outlined boxes.
    func drawBlocks(_ list: DrawList) throws {
        let count = list.blocks.count / 10
        guard count > 0 else { return }
        let program = try useProgram("block", list.view)
        program.set("uOutline", 1.5)
        blockInstances.upload(list.blocks, dynamic: true)
        instanceAttributes(cubeVAO, blockInstances, [(2, 3), (3, 3), (4, 4)])
        glEnable(glEnum(GL_CULL_FACE))
        glDrawArraysInstanced(glEnum(GL_TRIANGLES), 0, 36, GLsizei(count))
        glDisable(glEnum(GL_CULL_FACE))
    }

    /// Edges: screen-space quads, `lineWidth` pixels wide, blended.
    func drawLines(_ list: DrawList) throws {
        let count = list.lines.count / 10
        guard count > 0 else { return }
        let program = try useProgram("line", list.view)
        program.set("uViewport", list.view.viewport)
        program.set("uWidth", list.lineWidth)
        lineInstances.upload(list.lines, dynamic: true)
        instanceAttributes(lineVAO, lineInstances, [(2, 3), (3, 3), (4, 4)])
        glDrawArraysInstanced(glEnum(GL_TRIANGLES), 0, 6, GLsizei(count))
    }

    /// Labels: billboarded glyph quads from the atlas, premultiplied alpha.
    func drawText(_ list: DrawList) throws {
        let count = list.text.glyphCount
        guard count > 0 else { return }
        let program = try useProgram("text", list.view)
        program.set("uCameraRight", list.view.right)
        program.set("uCameraUp", list.view.up)
        program.set("uFocalPixels", list.view.focalPixels)
        program.set("uAtlas", 2)
        program.set("uHaloColor", SIMD3<Float>(0.04, 0.05, 0.07))
        atlas.texture.bind(unit: 2)
        textInstances.upload(list.text.instances, dynamic: true)
        instanceAttributes(textVAO, textInstances, [(2, 3), (3, 4), (4, 4), (5, 4), (6, 1), (7, 2)])
        glDrawArraysInstanced(glEnum(GL_TRIANGLES), 0, 6, GLsizei(count))
    }
}

import CGL
import StrataCore

extension DrawListPass {
    /// Feature-map slabs: all groups' instances in one buffer, one instanced draw per activation.
    func drawSlabs(_ list: DrawList, tensor: (String) -> Tensor?) throws {
        guard !list.slabs.isEmpty else { return }
        let program = try useProgram("slab", list.view)
        program.set("uGridLines", 1.0)
        slabInstances.upload(list.slabs.flatMap(\.instances), dynamic: true)
        var first = 0
        for group in list.slabs {
            let count = group.instances.count / 15
            defer { first += count }
            guard let texture = try valueTexture(group.value, layout: group.layout, tensor: tensor) else { continue }
            texture.texture.bind(unit: 0)
            instanceAttributes(slabVAO, slabInstances, [(2, 3), (3, 3), (4, 3), (5, 4), (6, 2)], first: first)
            glDrawArraysInstanced(glEnum(GL_TRIANGLES), 0, 6, GLsizei(count))
        }
    }

    /// Height fields: a grid mesh per map size, displaced in the vertex shader, one draw per activation.
    func drawHeightfields(_ list: DrawList, tensor: (String) -> Tensor?) throws {
        guard !list.heightfields.isEmpty else { return }
        _ = try useProgram("heightfield", list.view)
        heightInstances.upload(list.heightfields.flatMap(\.instances), dynamic: true)
        var first = 0
        for group in list.heightfields {
            let count = group.instances.count / 16
            defer { first += count }
            guard let texture = try valueTexture(group.value, layout: group.layout, tensor: tensor) else { continue }
            texture.texture.bind(unit: 0)
            let mesh = gridMesh(width: group.layout.width, height: group.layout.height)
            guard mesh.indexCount > 0 else { continue }
            heightVAO.attribute(0, buffer: mesh.vertices, components: 2, stride: 2, offset: 0)
            heightVAO.indices(mesh.indices)
            instanceAttributes(heightVAO, heightInstances, [(2, 3), (3, 3), (4, 3), (5, 4), (6, 3)], first: first)
            glDrawElementsInstanced(glEnum(GL_TRIANGLES), GLsizei(mesh.indexCount), glEnum(GL_UNSIGNED_INT), nil,
                                    GLsizei(count))
        }
    }

    /// Voxel stacks: one instanced cube draw per activation, back faces culled.
    func drawVoxels(_ list: DrawList, tensor: (String) -> Tensor?) throws {
        guard !list.voxels.isEmpty else { return }
        let program = try useProgram("voxels", list.view)
        cubeVAO.bind()
        for i in 0..<6 { glVertexAttribDivisor(GLuint(i + 2), 0); glDisableVertexAttribArray(GLuint(i + 2)) }
        glEnable(glEnum(GL_CULL_FACE))
        defer { glDisable(glEnum(GL_CULL_FACE)) }
        for draw in list.voxels where draw.instanceCount > 0 {
            guard let texture = try valueTexture(draw.value, layout: draw.layout, tensor: tensor) else { continue }
            texture.texture.bind(unit: 0)
            glUniform3i(program.location("uStride"), draw.stride.x, draw.stride.y, draw.stride.z)
            glUniform3i(program.location("uGrid"), draw.grid.x, draw.grid.y, draw.grid.z)
            program.set("uFirstChannel", draw.firstChannel)
            program.set("uOrigin", draw.origin)
            program.set("uStepX", draw.stepX)
            program.set("uStepY", draw.stepY)
            program.set("uStepC", draw.stepC)
            program.set("uRange", draw.range)
            program.set("uThreshold", draw.threshold)
            glDrawArraysInstanced(glEnum(GL_TRIANGLES), 0, 36, GLsizei(draw.instanceCount))
        }
    }

    /// Bar charts: one instanced box draw per vector.
    func drawBars(_ list: DrawList, tensor: (String) -> Tensor?) throws {
        guard !list.bars.isEmpty else { return }
        let program = try useProgram("bars", list.view)
        cubeVAO.bind()
        for i in 0..<6 { glVertexAttribDivisor(GLuint(i + 2), 0); glDisableVertexAttribArray(GLuint(i + 2)) }
        for draw in list.bars where draw.count > 0 {
            guard let texture = try valueTexture(draw.value, layout: draw.layout, tensor: tensor) else { continue }
            texture.texture.bind(unit: 0)
            program.set("uLayer", draw.layer)
            program.set("uStart", draw.start)
            program.set("uStrideElements", draw.strideElements)
            program.set("uOrigin", draw.origin)
            program.set("uStep", draw.step)
            program.set("uUp", draw.up)
            program.set("uDepth", draw.depth)
            program.set("uHeight", draw.height)
            program.set("uRange", draw.range)
            program.set("uSelected", draw.selected)
            glDrawArraysInstanced(glEnum(GL_TRIANGLES), 0, 36, GLsizei(draw.count))
        }
    }
}

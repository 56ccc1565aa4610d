import CGL
import StrataCore

/// Draws a `DrawList` with OpenGL 3.3 core: owns the programs, the static meshes, the per-frame
/// instance buffers and the caches of activation and colormap textures. Needs a current context for
/// its whole life.
final class DrawListPass {
    let shaders: ShaderLibrary
    let atlas: GlyphAtlas
    /// Activations on the GPU, by value name; replaced when the trace's tensor changes.
    private(set) var valueTextures: [String: ValueTexture] = [:]
    private var colormaps: [String: ColormapTexture] = [:]
    /// Times an activation was uploaded (tests check that colormap changes upload nothing).
    private(set) var uploadCount = 0

    let cube = GLBuffer(), quad = GLBuffer(), unitQuad = GLBuffer(), segment = GLBuffer()
    let blockInstances = GLBuffer(), slabInstances = GLBuffer(), heightInstances = GLBuffer()
    let lineInstances = GLBuffer(), textInstances = GLBuffer()
    let cubeVAO = GLVertexArray(), slabVAO = GLVertexArray(), lineVAO = GLVertexArray(), textVAO = GLVertexArray()
    let heightVAO = GLVertexArray(), emptyVAO = GLVertexArray()
    private var grids: [SIMD2<Int>: GridMesh] = [:]

    /// Palette of the frame's fixed colours (linear RGB, 0...1).
    struct Palette {
        var backgroundTop = SIMD3<Float>(0.16, 0.18, 0.22)
        var backgroundBottom = SIMD3<Float>(0.07, 0.08, 0.10)
        var selection = SIMD3<Float>(1.0, 0.82, 0.25)
        var nan = SIMD3<Float>(1.0, 0.0, 1.0)
        var positiveInfinity = SIMD3<Float>(1.0, 1.0, 1.0)
        var negativeInfinity = SIMD3<Float>(0.0, 1.0, 1.0)
    }
    var palette = Palette()

    init(shaders: ShaderLibrary) throws {
        self.shaders = shaders
        for name in ["background", "block", "slab", "heightfield", "voxels", "bars", "line", "text"] {
            _ = try shaders.program(name)
        }
        atlas = try GlyphAtlas()
        cube.upload(MeshData.cube)
        quad.upload(MeshData.centeredQuad)
        unitQuad.upload(MeshData.unitQuad)
        segment.upload(MeshData.segmentQuad)
        cubeVAO.attribute(0, buffer: cube, components: 3, stride: 6, offset: 0)
        cubeVAO.attribute(1, buffer: cube, components: 3, stride: 6, offset: 3)
        slabVAO.attribute(0, buffer: quad, components: 2, stride: 2, offset: 0)
        lineVAO.attribute(0, buffer: segment, components: 2, stride: 2, offset: 0)
        textVAO.attribute(0, buffer: unitQuad, components: 2, stride: 2, offset: 0)
        try checkGLError("creating the renderer's buffers")
    }

    /// Draws `list` into the bound framebuffer. `tensor` returns the activation for a value name.
    func draw(_ list: DrawList, tensor: (String) -> Tensor?) throws {
        let v = list.view
        palette.nan = list.nanColor
        palette.positiveInfinity = list.positiveInfinityColor
        palette.negativeInfinity = list.negativeInfinityColor
        glViewport(0, 0, GLsizei(v.viewport.x), GLsizei(v.viewport.y))
        glClearDepth(1)
        glClear(GLbitfield(GL_DEPTH_BUFFER_BIT))
        glEnable(glEnum(GL_DEPTH_TEST))
        glDepthFunc(glEnum(GL_LEQUAL))
        glDepthMask(GLboolean(GL_TRUE))
        glDisable(glEnum(GL_BLEND))
        try drawBlocks(list)
        let colormap = colormapTexture(list.colormapName, table: list.colormapTable)
        colormap.texture.bind(unit: 1)
        try drawSlabs(list, tensor: tensor)
        try drawHeightfields(list, tensor: tensor)
        try drawVoxels(list, tensor: tensor)
        try drawBars(list, tensor: tensor)
        try drawBackground()
        glEnable(glEnum(GL_BLEND))
        glBlendFunc(glEnum(GL_ONE), glEnum(GL_ONE_MINUS_SRC_ALPHA))
        glDepthMask(GLboolean(GL_FALSE))
        try drawLines(list)
        try drawText(list)
        glDepthMask(GLboolean(GL_TRUE))
        glDisable(glEnum(GL_BLEND))
        glBindVertexArray(0)
        try checkGLError("drawing a frame")
    }

    // MARK: - Shared state

    /// The uniforms every lit program shares.
    func useProgram(_ name: String, _ view: DrawList.View) throws -> ShaderProgram {
        let program = try shaders.program(name)
        program.use()
        program.set("uViewProjection", matrix: view.viewProjection.m)
        program.set("uCameraPosition", view.position)
        let back = simdCross(view.right, view.up)
        program.set("uLightDirection", simdNormalize(0.35 * view.right + 0.8 * view.up + 0.5 * back))
        program.set("uSelectionColor", palette.selection)
        program.set("uValues", 0)
        program.set("uColormap", 1)
        program.set("uNaNColor", palette.nan)
        program.set("uPosInfColor", palette.positiveInfinity)
        program.set("uNegInfColor", palette.negativeInfinity)
        return program
    }

    /// The activation texture for `value`, uploading it when it is new or its tensor changed.
    /// Slabs and bars of one value use different layouts, so the cache key holds both.
    func valueTexture(_ value: String, layout: MapLayout, tensor: (String) -> Tensor?) throws -> ValueTexture? {
        guard let t = tensor(value), t.count >= layout.count, layout.count > 0 else { return nil }
        let key = "\(value)#\(layout.channels)x\(layout.height)x\(layout.width)"
        if let cached = valueTextures[key], cached.source == ObjectIdentifier(t.storage), cached.layout == layout {
            return cached
        }
        let texture = try ValueTexture(tensor: t, layout: layout)
        valueTextures[key] = texture
        uploadCount += 1
        return texture
    }

    /// Forgets every uploaded activation (a new model).
    func dropValueTextures() { valueTextures.removeAll() }

    private func colormapTexture(_ name: String, table: [UInt8]) -> ColormapTexture {
        if let cached = colormaps[name] { return cached }
        let texture = ColormapTexture(rgba: table)
        colormaps[name] = texture
        return texture
    }

    /// Points per-instance attributes at `buffer`, starting `first` instances in: `components` lists
    /// (location, float count) in the order they are packed.
    func instanceAttributes(_ vao: GLVertexArray, _ buffer: GLBuffer, _ components: [(Int, Int)], first: Int = 0) {
        let stride = components.reduce(0) { $0 + $1.1 }
        var offset = first * stride
        for (location, count) in components {
            vao.attribute(location, buffer: buffer, components: count, stride: stride, offset: offset, divisor: 1)
            offset += count
        }
    }

    func gridMesh(width: Int, height: Int) -> GridMesh {
        let key = SIMD2(width, height)
        if let mesh = grids[key] { return mesh }
        let mesh = GridMesh(width: width, height: height)
        grids[key] = mesh
        return mesh
    }

    /// Drawn after the opaque passes at the far plane, so the depth test skips every pixel already covered.
    private func drawBackground() throws {
        glDepthMask(GLboolean(GL_FALSE))
        let program = try shaders.program("background")
        program.use()
        program.set("uTop", palette.backgroundTop)
        program.set("uBottom", palette.backgroundBottom)
        emptyVAO.bind()
        glDrawArrays(glEnum(GL_TRIANGLES), 0, 3)
    }
}

func simdCross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

func simdNormalize(_ a: SIMD3<Float>) -> SIMD3<Float> {
    let l = (a * a).sum().squareRoot()
    return l > 0 ? a / l : a
}

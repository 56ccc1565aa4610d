import CGL
import Scene
import StrataCore

/// Draws a `Scene` with OpenGL 3.3 core into whatever framebuffer is bound: the window's in the
/// viewer, an `OffscreenTarget` for PNGs and benchmarks.
///
/// Activations are read from an `ActivationSource` (a run's trace) and uploaded once per value as R32F
/// texture arrays; changing the colormap, the range or the camera uploads nothing. Create, use and
/// release it with the same GL context current.
public final class SceneRenderer {
    let pass: DrawListPass
    let overlay: OverlayPass

    /// Compiles every program from `shaders` and builds the glyph atlas; throws naming the file at fault.
    public init(shaders: ShaderLibrary = ShaderLibrary()) throws {
        pass = try DrawListPass(shaders: shaders)
        _ = try shaders.program("overlay")
        _ = try shaders.program("overlay_solid")
        overlay = OverlayPass(shaders: shaders, atlas: pass.atlas)
    }

    /// Number of activation uploads so far (each value once per trace).
    public var uploadCount: Int { pass.uploadCount }

    /// Draws `scene` into the bound framebuffer, whose size is `width`×`height` pixels. With `visible` (a
    /// rect in pixels, origin top-left) only that part is drawn and the rest is cleared to a flat colour: the
    /// viewer passes the area its docked panels leave, so no 3D work is spent under them.
    public func draw(_ scene: Scene, activations: ActivationSource?, width: Int, height: Int,
                     visible: (x: Int, y: Int, width: Int, height: Int)? = nil) throws {
        let list = DrawList(scene: scene, width: width, height: height, atlas: pass.atlas)
        guard let visible else {
            try pass.draw(list) { activations?.tensor(named: $0) }
            return
        }
        let colour = Self.panelBackdrop
        glClearColor(colour.x, colour.y, colour.z, 1)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        glEnable(glEnum(GL_SCISSOR_TEST))
        defer { glDisable(glEnum(GL_SCISSOR_TEST)) }
        glScissor(GLint(visible.x), GLint(height - visible.y - visible.height), GLsizei(max(visible.width, 0)),
                  GLsizei(max(visible.height, 0)))
        try pass.draw(list) { activations?.tensor(named: $0) }
    }

    /// What shows behind docked panels (the background gradient's darker end).
    static let panelBackdrop = SIMD3<Float>(0.07, 0.075, 0.09)

    /// Draws `scene` into `target` and reads the pixels back.
    public func render(_ scene: Scene, activations: ActivationSource?, into target: OffscreenTarget) throws
        -> RenderedImage {
        target.bind()
        try draw(scene, activations: activations, width: target.width, height: target.height)
        return RenderedImage(width: target.width, height: target.height, bottomUpRGBA: target.readPixels())
    }

    /// Forgets uploaded activations (call when a new model or trace replaces the old one for good).
    public func dropActivations() { pass.dropValueTextures() }
}

/// RGBA8 pixels of a rendered frame, stored as `glReadPixels` returns them (bottom row first).
public struct RenderedImage: Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes, bottom row first.
    public let bottomUpRGBA: [UInt8]

    public init(width: Int, height: Int, bottomUpRGBA: [UInt8]) {
        self.width = width
        self.height = height
        self.bottomUpRGBA = bottomUpRGBA
    }

    /// The colour at pixel (`x`, `y`), origin at the top-left as on screen.
    public func pixel(x: Int, y: Int) -> SIMD4<UInt8> {
        let i = ((height - 1 - y) * width + x) * 4
        return SIMD4(bottomUpRGBA[i], bottomUpRGBA[i + 1], bottomUpRGBA[i + 2], bottomUpRGBA[i + 3])
    }

    /// Writes the image as a PNG file.
    public func writePNG(to path: String) throws {
        try PNGWriter.write(rgba: bottomUpRGBA, width: width, height: height, bottomUp: true, to: path)
    }
}

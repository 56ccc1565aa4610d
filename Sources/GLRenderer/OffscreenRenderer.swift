import Scene

/// Renders scenes to images with no window and no display: a surfaceless EGL context (Mesa), a
/// `SceneRenderer` and a framebuffer object. Use it from one thread at a time; each call makes its
/// context current on the calling thread and releases it afterwards.
public final class OffscreenRenderer {
    private let context: EGLOffscreenContext
    private var renderer: SceneRenderer?
    private var target: OffscreenTarget?
    /// Samples per pixel of the framebuffer (4 smooths edges and text).
    public let samples: Int

    /// Creates the context and compiles the shaders.
    public init(shaders: ShaderLibrary = ShaderLibrary(), samples: Int = 4) throws {
        let context = try EGLOffscreenContext()
        try context.makeCurrent()
        defer { context.release() }
        renderer = try SceneRenderer(shaders: shaders)
        self.context = context
        self.samples = samples
    }

    deinit {
        // GL objects must be deleted while their context is current, before the context goes.
        if (try? context.makeCurrent()) != nil {
            target = nil
            renderer = nil
            context.release()
        }
    }

    /// Draws `scene` at `width`×`height` pixels and returns the frame.
    public func render(_ scene: Scene, activations: ActivationSource?, width: Int, height: Int) throws -> RenderedImage {
        try withCurrentContext(width: width, height: height) { renderer, target in
            try renderer.render(scene, activations: activations, into: target)
        }
    }

    /// Activation uploads so far (see `SceneRenderer.uploadCount`).
    public var uploadCount: Int { renderer?.uploadCount ?? 0 }

    /// Runs `body` with the context current and a `width`×`height` target bound (for benchmarks).
    public func withCurrentContext<R>(width: Int, height: Int,
                                      _ body: (SceneRenderer, OffscreenTarget) throws -> R) throws -> R {
        try context.makeCurrent()
        defer { context.release() }
        guard let renderer else { throw RenderError.contextUnavailable("the renderer was released") }
        return try body(renderer, try target(width, height))
    }

    private func target(_ width: Int, _ height: Int) throws -> OffscreenTarget {
        if let target, target.width == width, target.height == height { return target }
        target = nil
        let fresh = try OffscreenTarget(width: width, height: height, samples: samples)
        target = fresh
        return fresh
    }
}

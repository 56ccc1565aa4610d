import CEGL

/// An OpenGL 3.3 core context with no window and no surface, from Mesa's surfaceless EGL platform.
///
/// It needs no display server at all; draw into a framebuffer object (`OffscreenTarget`). A context is
/// current on one thread at a time: call `makeCurrent()` on the thread that draws, and `release()` before
/// another thread takes it.
public final class EGLOffscreenContext {
    private let display: EGLDisplay
    private let context: EGLContext

    /// Creates the context (it is not made current).
    public init() throws {
        guard let dpy = eglGetPlatformDisplay(EGLenum(EGL_PLATFORM_SURFACELESS_MESA), nil, nil),
              dpy != strata_egl_no_display() else {
            throw RenderError.contextUnavailable("EGL has no surfaceless platform (Mesa's libEGL is needed)")
        }
        var major: EGLint = 0, minor: EGLint = 0
        guard eglInitialize(dpy, &major, &minor) == EGLBoolean(EGL_TRUE) else {
            throw RenderError.contextUnavailable("eglInitialize failed (\(Self.lastError()))")
        }
        guard eglBindAPI(EGLenum(EGL_OPENGL_API)) == EGLBoolean(EGL_TRUE) else {
            eglTerminate(dpy)
            throw RenderError.contextUnavailable("desktop OpenGL is not available through EGL (\(Self.lastError()))")
        }
        let config = Self.chooseConfig(dpy)
        let attributes: [EGLint] = [
            EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
            EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE,
        ]
        guard let ctx = eglCreateContext(dpy, config, strata_egl_no_context(), attributes),
              ctx != strata_egl_no_context() else {
            let why = Self.lastError()
            eglTerminate(dpy)
            throw RenderError.contextUnavailable("eglCreateContext for OpenGL 3.3 core failed (\(why))")
        }
        display = dpy
        context = ctx
    }

    deinit {
        if eglGetCurrentContext() == context {
            eglMakeCurrent(display, strata_egl_no_surface(), strata_egl_no_surface(), strata_egl_no_context())
        }
        eglDestroyContext(display, context)
    }

    /// Makes the context current on the calling thread, with no surface.
    public func makeCurrent() throws {
        let none = strata_egl_no_surface()
        guard eglMakeCurrent(display, none, none, context) == EGLBoolean(EGL_TRUE) else {
            throw RenderError.contextUnavailable("eglMakeCurrent failed (\(Self.lastError()))")
        }
    }

    /// Detaches the context from the calling thread.
    public func release() {
        let none = strata_egl_no_surface()
        eglMakeCurrent(display, none, none, strata_egl_no_context())
    }

    /// Any OpenGL-capable config; surfaceless rendering needs no particular surface type.
    private static func chooseConfig(_ dpy: EGLDisplay) -> EGLConfig? {
        let wanted: [EGLint] = [EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE]
        var config: EGLConfig?
        var count: EGLint = 0
        if eglChooseConfig(dpy, wanted, &config, 1, &count) == EGLBoolean(EGL_TRUE), count > 0 { return config }
        return nil
    }

    private static func lastError() -> String {
        "EGL error 0x" + String(eglGetError(), radix: 16)
    }
}

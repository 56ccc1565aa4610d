import CGL

/// A framebuffer object with an RGBA8 colour and a 24-bit depth renderbuffer, optionally multisampled,
/// that a frame is drawn into and read back from. Needs a current context.
public final class OffscreenTarget {
    /// Size in pixels.
    public let width: Int, height: Int
    /// Samples per pixel (1 = no multisampling).
    public let samples: Int
    private var framebuffer: GLuint = 0
    private var renderbuffers: [GLuint] = [0, 0]
    private var resolveFramebuffer: GLuint = 0
    private var resolveColor: GLuint = 0

    /// Allocates the framebuffer; `samples` is clamped to what the driver supports.
    public init(width: Int, height: Int, samples: Int = 1) throws {
        guard (1...16384).contains(width), (1...16384).contains(height) else {
            throw RenderError.badSize(width: width, height: height)
        }
        self.width = width
        self.height = height
        var maxSamples: GLint = 1
        glGetIntegerv(glEnum(GL_MAX_SAMPLES), &maxSamples)
        self.samples = max(1, min(samples, Int(maxSamples)))
        framebuffer = try Self.makeFramebuffer(width: width, height: height, samples: self.samples,
                                               depth: true, renderbuffers: &renderbuffers)
        if self.samples > 1 {
            var single: [GLuint] = [0, 0]
            resolveFramebuffer = try Self.makeFramebuffer(width: width, height: height, samples: 1,
                                                          depth: false, renderbuffers: &single)
            resolveColor = single[0]
        }
    }

    deinit {
        glDeleteFramebuffers(1, &framebuffer)
        glDeleteRenderbuffers(2, &renderbuffers)
        if resolveFramebuffer != 0 {
            glDeleteFramebuffers(1, &resolveFramebuffer)
            glDeleteRenderbuffers(1, &resolveColor)
        }
    }

    /// Binds the framebuffer for drawing and sets the viewport to its size.
    public func bind() {
        glBindFramebuffer(glEnum(GL_FRAMEBUFFER), framebuffer)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
    }

    /// The pixels as RGBA bytes, bottom row first (GL order), `width * height * 4` of them.
    public func readPixels() -> [UInt8] {
        var source = framebuffer
        if samples > 1 {
            glBindFramebuffer(glEnum(GL_READ_FRAMEBUFFER), framebuffer)
            glBindFramebuffer(glEnum(GL_DRAW_FRAMEBUFFER), resolveFramebuffer)
            let w = GLint(width), h = GLint(height)
            glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GLbitfield(GL_COLOR_BUFFER_BIT), glEnum(GL_NEAREST))
            source = resolveFramebuffer
        }
        glBindFramebuffer(glEnum(GL_READ_FRAMEBUFFER), source)
        glPixelStorei(glEnum(GL_PACK_ALIGNMENT), 1)
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        pixels.withUnsafeMutableBytes {
            glReadPixels(0, 0, GLsizei(width), GLsizei(height), glEnum(GL_RGBA), glEnum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        glBindFramebuffer(glEnum(GL_FRAMEBUFFER), framebuffer)
        return pixels
    }

    private static func makeFramebuffer(width: Int, height: Int, samples: Int, depth: Bool,
                                        renderbuffers: inout [GLuint]) throws -> GLuint {
        var fbo: GLuint = 0
        glGenFramebuffers(1, &fbo)
        glBindFramebuffer(glEnum(GL_FRAMEBUFFER), fbo)
        glGenRenderbuffers(depth ? 2 : 1, &renderbuffers)
        let formats = [GL_RGBA8, GL_DEPTH_COMPONENT24]
        let attachments = [GL_COLOR_ATTACHMENT0, GL_DEPTH_ATTACHMENT]
        for i in 0..<(depth ? 2 : 1) {
            glBindRenderbuffer(glEnum(GL_RENDERBUFFER), renderbuffers[i])
            glRenderbufferStorageMultisample(glEnum(GL_RENDERBUFFER), GLsizei(samples > 1 ? samples : 0),
                                             glEnum(formats[i]), GLsizei(width), GLsizei(height))
            glFramebufferRenderbuffer(glEnum(GL_FRAMEBUFFER), glEnum(attachments[i]), glEnum(GL_RENDERBUFFER),
                                      renderbuffers[i])
        }
        let status = glCheckFramebufferStatus(glEnum(GL_FRAMEBUFFER))
        guard status == glEnum(GL_FRAMEBUFFER_COMPLETE) else {
            glDeleteFramebuffers(1, &fbo)
            throw RenderError.framebufferIncomplete(status: status)
        }
        return fbo
    }
}

import CGL

extension RenderedImage {
    /// Reads the window's back buffer (framebuffer 0) after a frame was drawn into it, before the swap.
    public static func captureWindow(width: Int, height: Int) -> RenderedImage {
        glBindFramebuffer(glEnum(GL_READ_FRAMEBUFFER), 0)
        glReadBuffer(glEnum(GL_BACK))
        glPixelStorei(glEnum(GL_PACK_ALIGNMENT), 1)
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        pixels.withUnsafeMutableBytes {
            glReadPixels(0, 0, GLsizei(width), GLsizei(height), glEnum(GL_RGBA), glEnum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        return RenderedImage(width: width, height: height, bottomUpRGBA: pixels)
    }

    /// Binds the window's own framebuffer (0) for drawing.
    public static func bindWindowFramebuffer() {
        glBindFramebuffer(glEnum(GL_FRAMEBUFFER), 0)
    }
}

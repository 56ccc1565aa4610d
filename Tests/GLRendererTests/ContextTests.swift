import CGL
import Foundation
import Testing
@testable import GLRenderer

@Suite(.serialized) struct ContextTests {
    @Test func surfacelessEGLClearsAndReadsBack() throws {
        let context = try EGLOffscreenContext()
        try context.makeCurrent()
        defer { context.release() }
        let target = try OffscreenTarget(width: 8, height: 4)
        target.bind()
        glClearColor(1, 0.5, 0, 1)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        let pixels = target.readPixels()
        #expect(pixels.count == 8 * 4 * 4)
        #expect(Array(pixels[0..<4]) == [255, 128, 0, 255])
    }
}

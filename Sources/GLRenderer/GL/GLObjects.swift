import CGL

// GL enum macros import as Int32; GL entry points take GLenum.
@inline(__always) func glEnum(_ value: Int32) -> GLenum { GLenum(value) }

/// A GL buffer object (vertex, index or instance data). Deleted with the object; the context that made
/// it must be current then.
final class GLBuffer {
    let id: GLuint
    let target: GLenum
    private(set) var byteCount = 0

    init(target: Int32 = GL_ARRAY_BUFFER) {
        var name: GLuint = 0
        glGenBuffers(1, &name)
        id = name
        self.target = glEnum(target)
    }

    deinit {
        var name = id
        glDeleteBuffers(1, &name)
    }

    /// Replaces the buffer's contents with `values` (GL_DYNAMIC_DRAW when `dynamic`).
    func upload<T>(_ values: [T], dynamic: Bool = false) {
        glBindBuffer(target, id)
        values.withUnsafeBytes { raw in
            let usage = glEnum(dynamic ? GL_DYNAMIC_DRAW : GL_STATIC_DRAW)
            if dynamic, raw.count <= byteCount, raw.count > 0 {
                glBufferSubData(target, 0, raw.count, raw.baseAddress)
            } else {
                glBufferData(target, raw.count, raw.baseAddress, usage)
                byteCount = raw.count
            }
        }
    }
}

/// A vertex array object: which buffers feed which attributes.
final class GLVertexArray {
    let id: GLuint

    init() {
        var name: GLuint = 0
        glGenVertexArrays(1, &name)
        id = name
    }

    deinit {
        var name = id
        glDeleteVertexArrays(1, &name)
    }

    func bind() { glBindVertexArray(id) }

    /// Points float attribute `index` at `buffer` (`components` floats, `stride` and `offset` in floats);
    /// `divisor` 1 makes it per instance.
    func attribute(_ index: Int, buffer: GLBuffer, components: Int, stride: Int, offset: Int, divisor: Int = 0) {
        glBindVertexArray(id)
        glBindBuffer(glEnum(GL_ARRAY_BUFFER), buffer.id)
        let location = GLuint(index)
        glEnableVertexAttribArray(location)
        let pointer = UnsafeRawPointer(bitPattern: offset * MemoryLayout<Float>.stride)
        glVertexAttribPointer(location, GLint(components), glEnum(GL_FLOAT), GLboolean(GL_FALSE),
                              GLsizei(stride * MemoryLayout<Float>.stride), pointer)
        glVertexAttribDivisor(location, GLuint(divisor))
    }

    /// Attaches an index buffer (stays bound to this vertex array).
    func indices(_ buffer: GLBuffer) {
        glBindVertexArray(id)
        glBindBuffer(glEnum(GL_ELEMENT_ARRAY_BUFFER), buffer.id)
    }
}

/// A GL texture object of any target (2D, 2D array).
final class GLTexture {
    let id: GLuint
    let target: GLenum

    init(target: Int32) {
        var name: GLuint = 0
        glGenTextures(1, &name)
        id = name
        self.target = glEnum(target)
    }

    deinit {
        var name = id
        glDeleteTextures(1, &name)
    }

    /// Binds to texture unit `unit`.
    func bind(unit: Int) {
        glActiveTexture(glEnum(GL_TEXTURE0) + GLenum(unit))
        glBindTexture(target, id)
    }

    /// Sets min/mag filters and clamps to the edge on both axes.
    func setSampling(linear: Bool) {
        glBindTexture(target, id)
        let filter = linear ? GL_LINEAR : GL_NEAREST
        glTexParameteri(target, glEnum(GL_TEXTURE_MIN_FILTER), filter)
        glTexParameteri(target, glEnum(GL_TEXTURE_MAG_FILTER), filter)
        glTexParameteri(target, glEnum(GL_TEXTURE_WRAP_S), GL_CLAMP_TO_EDGE)
        glTexParameteri(target, glEnum(GL_TEXTURE_WRAP_T), GL_CLAMP_TO_EDGE)
    }
}

/// The first pending GL error as a thrown `RenderError`, for checks after uploads and setup.
func checkGLError(_ operation: String) throws {
    let code = glGetError()
    if code != glEnum(GL_NO_ERROR) { throw RenderError.gl(operation: operation, code: code) }
}

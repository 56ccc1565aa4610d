import CGL

/// A linked vertex + fragment program with cached uniform locations. Needs a current context.
public final class ShaderProgram {
    /// The program's name (its file stem in `Shaders/`).
    public let name: String
    let id: GLuint
    private var locations: [String: GLint] = [:]

    /// Compiles and links; errors name the file and carry the driver's info log.
    init(name: String, vertex: (file: String, text: String), fragment: (file: String, text: String)) throws {
        self.name = name
        let vs = try Self.compile(vertex.text, kind: GL_VERTEX_SHADER, file: vertex.file)
        defer { glDeleteShader(vs) }
        let fs = try Self.compile(fragment.text, kind: GL_FRAGMENT_SHADER, file: fragment.file)
        defer { glDeleteShader(fs) }
        let program = glCreateProgram()
        glAttachShader(program, vs)
        glAttachShader(program, fs)
        glLinkProgram(program)
        var ok: GLint = 0
        glGetProgramiv(program, glEnum(GL_LINK_STATUS), &ok)
        if ok == 0 {
            let log = Self.infoLog(program, isProgram: true)
            glDeleteProgram(program)
            throw RenderError.programLink(program: name, log: log)
        }
        id = program
    }

    deinit { glDeleteProgram(id) }

    /// Makes this the current program.
    func use() { glUseProgram(id) }

    func location(_ uniform: String) -> GLint {
        if let cached = locations[uniform] { return cached }
        let location = glGetUniformLocation(id, uniform)
        locations[uniform] = location
        return location
    }

    // MARK: - Uniform setters (the program must be in use)

    func set(_ uniform: String, _ value: Float) { glUniform1f(location(uniform), value) }
    func set(_ uniform: String, _ value: Int) { glUniform1i(location(uniform), GLint(value)) }
    func set(_ uniform: String, _ value: SIMD2<Float>) { glUniform2f(location(uniform), value.x, value.y) }
    func set(_ uniform: String, _ value: SIMD3<Float>) { glUniform3f(location(uniform), value.x, value.y, value.z) }
    func set(_ uniform: String, _ value: SIMD4<Float>) {
        glUniform4f(location(uniform), value.x, value.y, value.z, value.w)
    }
    /// A 4×4 matrix given column-major (16 floats).
    func set(_ uniform: String, matrix: [Float]) {
        precondition(matrix.count == 16, "a mat4 needs 16 floats")
        matrix.withUnsafeBufferPointer { glUniformMatrix4fv(location(uniform), 1, GLboolean(GL_FALSE), $0.baseAddress) }
    }

    // MARK: - Compilation

    private static func compile(_ text: String, kind: Int32, file: String) throws -> GLuint {
        let shader = glCreateShader(glEnum(kind))
        text.withCString { cText in
            var pointer: UnsafePointer<GLchar>? = cText
            glShaderSource(shader, 1, &pointer, nil)
        }
        glCompileShader(shader)
        var ok: GLint = 0
        glGetShaderiv(shader, glEnum(GL_COMPILE_STATUS), &ok)
        if ok == 0 {
            let log = infoLog(shader, isProgram: false)
            glDeleteShader(shader)
            throw RenderError.shaderCompile(file: file, log: log)
        }
        return shader
    }

    private static func infoLog(_ object: GLuint, isProgram: Bool) -> String {
        var length: GLint = 0
        if isProgram { glGetProgramiv(object, glEnum(GL_INFO_LOG_LENGTH), &length) }
        else { glGetShaderiv(object, glEnum(GL_INFO_LOG_LENGTH), &length) }
        guard length > 1 else { return "(no log)" }
        var buffer = [GLchar](repeating: 0, count: Int(length))
        if isProgram { glGetProgramInfoLog(object, length, nil, &buffer) }
        else { glGetShaderInfoLog(object, length, nil, &buffer) }
        return String(cString: buffer)
    }
}

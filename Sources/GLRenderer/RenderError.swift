import Foundation

/// Everything that can go wrong while setting up GL or drawing a frame, as one-line messages that name
/// the file or the GL object concerned.
public enum RenderError: Error, CustomStringConvertible, Equatable {
    /// No offscreen context could be made (EGL said why).
    case contextUnavailable(String)
    /// A shader file is missing; `searched` lists the folders looked in.
    case shaderNotFound(file: String, searched: [String])
    /// A shader failed to compile; `log` is the driver's info log.
    case shaderCompile(file: String, log: String)
    /// A program failed to link; `log` is the driver's info log.
    case programLink(program: String, log: String)
    /// A framebuffer is incomplete (GL status code).
    case framebufferIncomplete(status: UInt32)
    /// The requested image size is unusable.
    case badSize(width: Int, height: Int)
    /// A font could not be loaded.
    case font(file: String, message: String)
    /// A PNG could not be written.
    case pngWrite(file: String, message: String)
    /// GL reported an error after an operation.
    case gl(operation: String, code: UInt32)

    public var description: String {
        switch self {
        case let .contextUnavailable(why):
            return "cannot create an offscreen OpenGL 3.3 context: \(why)"
        case let .shaderNotFound(file, searched):
            let places = searched.isEmpty ? "no Shaders folder found" : "searched \(searched.joined(separator: ", "))"
            return "shader '\(file)' not found (\(places); set STRATA_SHADERS to the Shaders folder)"
        case let .shaderCompile(file, log):
            return "\(file): shader does not compile: \(Self.oneLine(log))"
        case let .programLink(program, log):
            return "program '\(program)' does not link: \(Self.oneLine(log))"
        case let .framebufferIncomplete(status):
            return "offscreen framebuffer incomplete (status 0x\(String(status, radix: 16)))"
        case let .badSize(width, height):
            return "image size \(width)x\(height) is not usable (1...16384 per side)"
        case let .font(file, message):
            return "\(file): cannot load font: \(message)"
        case let .pngWrite(file, message):
            return "\(file): cannot write PNG: \(message)"
        case let .gl(operation, code):
            return "OpenGL error 0x\(String(code, radix: 16)) in \(operation)"
        }
    }

    /// Driver logs span lines; the message must stay one line.
    private static func oneLine(_ log: String) -> String {
        log.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " | ")
    }
}

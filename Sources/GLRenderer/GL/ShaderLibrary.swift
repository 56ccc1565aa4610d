import CGL
import Foundation

/// Finds the `Shaders/` folder at run time and compiles `<name>.vert` + `<name>.frag` pairs into programs.
///
/// The folder is, in order: `$STRATA_SHADERS`; the first `Shaders/` found walking up from the
/// executable's folder (a build tree: `.build/release/strata` → `Shaders/`); `<exe>/../share/strata/Shaders`
/// (an installed copy).
public final class ShaderLibrary {
    /// The folder programs are read from, `nil` when none was found (every `program` call then throws).
    public let folder: URL?
    /// The places that were searched, for error messages.
    public let searched: [String]
    private var programs: [String: ShaderProgram] = [:]

    /// Uses `folder` if given, otherwise searches as described above.
    public init(folder: URL? = nil) {
        if let folder {
            self.folder = folder
            searched = [folder.path]
        } else {
            let candidates = Self.candidateFolders()
            searched = candidates.map(\.path)
            self.folder = candidates.first { Self.isDirectory($0) }
        }
    }

    /// The linked program `name` (compiled once, then cached). Needs a current context.
    public func program(_ name: String) throws -> ShaderProgram {
        if let cached = programs[name] { return cached }
        let vertex = try source(name + ".vert")
        let fragment = try source(name + ".frag")
        let program = try ShaderProgram(name: name, vertex: vertex, fragment: fragment)
        programs[name] = program
        return program
    }

    private func source(_ file: String) throws -> (file: String, text: String) {
        guard let folder else { throw RenderError.shaderNotFound(file: file, searched: searched) }
        let url = folder.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RenderError.shaderNotFound(file: url.path, searched: [folder.path])
        }
        return (url.path, try expandIncludes(String(decoding: data, as: UTF8.self), in: folder))
    }

    /// Replaces each `#include "file"` line with that file's text (one level: shared GLSL functions).
    private func expandIncludes(_ text: String, in folder: URL) throws -> String {
        guard text.contains("#include") else { return text }
        var lines: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("#include") else {
                lines.append(String(line))
                continue
            }
            let name = trimmed.dropFirst("#include".count).trimmingCharacters(in: CharacterSet(charactersIn: " \"<>"))
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw RenderError.shaderNotFound(file: url.path, searched: [folder.path])
            }
            lines.append(String(decoding: data, as: UTF8.self))
            lines.append("#line \(index + 2)")  // keep the driver's line numbers those of the file
        }
        return lines.joined(separator: "\n")
    }

    /// Every folder the search considers, in order (existing or not).
    public static func candidateFolders(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        executable: URL? = executableURL()) -> [URL] {
        var folders: [URL] = []
        if let env = environment["STRATA_SHADERS"], !env.isEmpty { folders.append(URL(fileURLWithPath: env)) }
        if let executable {
            var dir = executable.deletingLastPathComponent().standardizedFileURL
            while dir.path != "/" {
                folders.append(dir.appendingPathComponent("Shaders"))
                dir = dir.deletingLastPathComponent()
            }
            let share = executable.deletingLastPathComponent().deletingLastPathComponent()
            folders.append(share.appendingPathComponent("share/strata/Shaders").standardizedFileURL)
        }
        return folders
    }

    /// The running executable, symlinks resolved.
    public static func executableURL() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}

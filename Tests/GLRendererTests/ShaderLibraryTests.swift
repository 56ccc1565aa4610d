import Foundation
import Testing
@testable import GLRenderer

@Suite(.serialized) struct ShaderLibraryTests {
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-shaders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func missingShaderErrorNamesTheFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let context = try EGLOffscreenContext()
        try context.makeCurrent()
        defer { context.release() }
        let library = ShaderLibrary(folder: folder)
        #expect(throws: RenderError.shaderNotFound(file: folder.appendingPathComponent("slab.vert").path,
                                                   searched: [folder.path])) {
            try library.program("slab")
        }
        let error = try #require(throws: RenderError.self) { try SceneRenderer(shaders: library) }
        #expect(error.description.contains(".vert' not found"))
    }

    @Test func brokenShaderErrorNamesTheFileAndCarriesTheDriverLog() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "#version 330 core\nvoid main() { gl_Position = vec4(0.0); }\n"
            .write(to: folder.appendingPathComponent("bad.vert"), atomically: true, encoding: .utf8)
        try "#version 330 core\nout vec4 c;\nvoid main() { c = undefinedThing; }\n"
            .write(to: folder.appendingPathComponent("bad.frag"), atomically: true, encoding: .utf8)
        let context = try EGLOffscreenContext()
        try context.makeCurrent()
        defer { context.release() }
        let error = try #require(throws: RenderError.self) { try ShaderLibrary(folder: folder).program("bad") }
        guard case let .shaderCompile(file, log) = error else {
            Issue.record("expected a compile error, got \(error)")
            return
        }
        #expect(file == folder.appendingPathComponent("bad.frag").path)
        #expect(log.contains("undefinedThing"))
        #expect(!error.description.contains("\n"), "one-line message")
    }

    @Test func includesAreExpandedAndAMissingIncludeIsNamed() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "#version 330 core\nvoid main() { gl_Position = vec4(0.0); }\n"
            .write(to: folder.appendingPathComponent("p.vert"), atomically: true, encoding: .utf8)
        try "#version 330 core\n#include \"nowhere.glsl\"\nout vec4 c;\nvoid main() { c = vec4(1.0); }\n"
            .write(to: folder.appendingPathComponent("p.frag"), atomically: true, encoding: .utf8)
        let context = try EGLOffscreenContext()
        try context.makeCurrent()
        defer { context.release() }
        let error = try #require(throws: RenderError.self) { try ShaderLibrary(folder: folder).program("p") }
        #expect(error.description.contains("nowhere.glsl"))
    }

    @Test func searchOrderIsEnvironmentThenBuildTreeThenInstalledCopy() {
        let exe = URL(fileURLWithPath: "/opt/strata/bin/strata")
        let folders = ShaderLibrary.candidateFolders(environment: ["STRATA_SHADERS": "/custom/Shaders"], executable: exe)
            .map(\.path)
        #expect(folders.first == "/custom/Shaders")
        #expect(folders.contains("/opt/strata/bin/Shaders"))
        #expect(folders.contains("/opt/Shaders"))
        #expect(folders.last == "/opt/strata/share/strata/Shaders")
        #expect(ShaderLibrary.candidateFolders(environment: [:], executable: exe).first?.path == "/opt/strata/bin/Shaders")
    }

    @Test func theRepositoryShadersAllCompile() throws {
        let context = try EGLOffscreenContext()
        try context.makeCurrent()
        defer { context.release() }
        let library = ShaderLibrary(folder: shadersFolder)
        for name in ["background", "block", "slab", "heightfield", "voxels", "bars", "line", "text"] {
            #expect(throws: Never.self) { try library.program(name) }
        }
    }
}

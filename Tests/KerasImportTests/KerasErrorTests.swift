import Foundation
import Testing
@testable import KerasImport
import StrataCore
import ZIPFoundation

/// Bad files give one-line errors naming the file and the problem, and never crash.
@Suite struct KerasErrorTests {
    static let bad = KerasFixtures.folder.appendingPathComponent("bad")

    struct BadFile: CustomStringConvertible, Sendable {
        var name: String
        var message: String
        var description: String { name }
    }

    static let badFiles = [
        BadFile(name: "not_keras.h5", message: "HDF5 file without 'model_config' (not a Keras model, or weights only)"),
        BadFile(name: "bad_json.h5", message: "model_config is not valid JSON"),
        BadFile(name: "missing_weight.h5", message: "missing weight '/model_weights/after/after/kernel'"),
        BadFile(name: "wrong_shape.h5", message: "layer 'after' (Dense): weight 'kernel' has shape [5, 2], expected [3, 2]"),
        BadFile(name: "no_inputs.h5", message: "layer 'after' (Dense) has no inputs"),
    ]

    static func message(_ url: URL) -> String? {
        do {
            _ = try KerasImporter.load(contentsOf: url)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: badFiles)
    func badHDF5(_ file: BadFile) {
        let url = Self.bad.appendingPathComponent(file.name)
        #expect(Self.message(url) == "\(url.path): \(file.message)")
    }

    @Test(arguments: [1000, 30000, 60000])
    func truncatedH5(_ length: Int) throws {
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = KerasFixtures.Case(model: "seq_cnn", fileName: "seq_cnn.h5").url
        let url = dir.appendingPathComponent("truncated.h5")
        try Data(contentsOf: source).prefix(length).write(to: url)
        #expect(Self.message(url) == "\(url.path): not a readable HDF5 file (truncated or corrupt)")
    }

    @Test func truncatedArchive() throws {
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("truncated.keras")
        let source = KerasFixtures.Case(model: "seq_cnn", fileName: "seq_cnn.keras").url
        try Data(contentsOf: source).prefix(20000).write(to: url)
        #expect(Self.message(url) == "\(url.path): not a .keras archive (not a readable zip file)")
    }

    @Test func notAZip() throws {
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.keras")
        try Data("hello, not a zip".utf8).write(to: url)
        #expect(Self.message(url) == "\(url.path): not a .keras archive (not a zip file)")
    }

    @Test func zipWithoutConfig() throws {
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.keras")
        let archive = try Archive(url: url, accessMode: .create)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(5), provider: { _, _ in Data("hello".utf8) })
        #expect(Self.message(url) == "\(url.path): zip file without 'config.json' (not a .keras archive)")
    }

    /// 80 MB of zeros deflate to ~80 KB: the declared size is refused before anything is inflated.
    @Test func zipBombConfigIsRefused() throws {
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bomb.keras")
        let archive = try Archive(url: url, accessMode: .create)
        let size = 80 << 20
        try archive.addEntry(with: "config.json", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
                             provider: { _, chunk in Data(count: chunk) })
        let fileSize = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        #expect(fileSize < 1 << 20)
        #expect(Self.message(url) == "\(url.path): 'config.json' declares \(size) bytes, more than the 64 MB allowed")
    }

    /// An entry that inflates to more than it declares is cut off where the declared size ends.
    @Test func entryLyingAboutItsSizeIsCutOff() throws {
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("liar.keras")
        let source = KerasFixtures.Case(model: "seq1d", fileName: "seq1d.keras").url
        var bytes = [UInt8](try Data(contentsOf: source))
        let patched = try Self.shrinkDeclaredSize(of: "model.weights.h5", in: &bytes, to: 1000)
        #expect(patched)
        try Data(bytes).write(to: url)
        #expect(Self.message(url) == "\(url.path): 'model.weights.h5' inflates to more than the 1000 bytes it declares")
    }

    /// Rewrites the uncompressed size of `name` in its local and central headers.
    static func shrinkDeclaredSize(of name: String, in bytes: inout [UInt8], to size: UInt32) throws -> Bool {
        let nameBytes = Array(name.utf8)
        var patched = false
        for i in 0..<(bytes.count - 46) {
            let signature = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            let (sizeOffset, nameOffset) = signature == 0x0403_4B50 ? (22, 30) : signature == 0x0201_4B50 ? (24, 46) : (0, 0)
            guard sizeOffset > 0, i + nameOffset + nameBytes.count <= bytes.count,
                  Array(bytes[(i + nameOffset)..<(i + nameOffset + nameBytes.count)]) == nameBytes else { continue }
            for k in 0..<4 { bytes[i + sizeOffset + k] = UInt8((size >> (8 * UInt32(k))) & 0xFF) }
            patched = true
        }
        return patched
    }

    /// Archives written before Keras put the layer name on each `vars` group are mapped by walking the
    /// config as Keras names the groups; that walk agrees with the names Keras 3.15 stores.
    @Test(arguments: KerasFixtures.models)
    func archiveGroupNamesFollowKerasNaming(_ model: String) throws {
        let url = KerasFixtures.Case(model: model, fileName: "\(model).keras").url
        let archive = try Archive(url: url, accessMode: .read)
        var config = Data()
        _ = try archive.extract(try #require(archive["config.json"])) { config.append($0) }
        let spec = try KerasConfigParser.parseModel(json: config, file: url.path)
        let dir = try KerasFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = dir.appendingPathComponent("w.h5")
        _ = try archive.extract(try #require(archive["model.weights.h5"]), to: weights)
        let file = try HDF5File(path: weights.path, displayName: "w.h5")
        for (layer, group) in ArchiveWeightStore.savedNames(of: spec) {
            #expect(try file.stringAttribute("name", of: "/layers/\(group)/vars") == layer)
        }
    }

    @Test func snakeCaseAsKeras() {
        #expect(ArchiveWeightStore.snakeCase("Conv2D") == "conv2d")
        #expect(ArchiveWeightStore.snakeCase("ReLU") == "re_lu")
        #expect(ArchiveWeightStore.snakeCase("GlobalAveragePooling2D") == "global_average_pooling2d")
        #expect(ArchiveWeightStore.snakeCase("PReLU") == "p_re_lu")
        #expect(ArchiveWeightStore.snakeCase("InputLayer") == "input_layer")
    }
}

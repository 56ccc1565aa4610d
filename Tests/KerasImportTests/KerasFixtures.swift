import Foundation
import KerasImport
import StrataCore

/// The committed fixtures of `Tools/make_keras_fixtures.py`: per model a Keras 3 `.h5`, a tf.keras 2
/// `.h5` and a `.keras`, the inputs, every layer's reference output and `expected.json`.
enum KerasFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let models = ["seq_cnn", "functional", "lambda_model", "seq1d", "activations"]

    /// One model file with the references that apply to it.
    struct Case: CustomStringConvertible, Sendable {
        var model: String
        var fileName: String
        var url: URL { folder.appendingPathComponent(model).appendingPathComponent(fileName) }
        /// `keras3/` or `tfkeras2/` (the two Keras versions differ in places, e.g. `hard_sigmoid`).
        var referenceFolder: URL {
            folder.appendingPathComponent(model).appendingPathComponent(fileName.contains("tfkeras2") ? "tfkeras2" : "keras3")
        }
        var description: String { fileName }
    }

    static let cases: [Case] = models.flatMap { m in
        ["\(m).h5", "\(m).tfkeras2.h5", "\(m).keras"].map { Case(model: m, fileName: $0) }
    }

    /// What Keras says about the model: parameter count and class of each layer (`outer/inner` for nested).
    struct Expected: Decodable {
        var params: [String: Int]
        var classes: [String: String]
        var inputs: [String]
    }

    static func expected(_ c: Case) throws -> Expected {
        let data = try Data(contentsOf: folder.appendingPathComponent(c.model).appendingPathComponent("expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    /// Reference outputs by layer name (file names have `/` as `__`).
    static func references(_ c: Case) throws -> [String: Tensor] {
        let files = try FileManager.default.contentsOfDirectory(at: c.referenceFolder, includingPropertiesForKeys: nil)
        var refs: [String: Tensor] = [:]
        for file in files where file.pathExtension == "npy" {
            let name = file.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "__", with: "/")
            refs[name] = try Tensor(npyFile: file)
        }
        return refs
    }

    /// The model inputs by name (`input_<name>.npy`).
    static func inputs(_ c: Case) throws -> [String: Tensor] {
        let dir = folder.appendingPathComponent(c.model)
        var inputs: [String: Tensor] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        where file.lastPathComponent.hasPrefix("input_") && file.pathExtension == "npy" {
            inputs[String(file.deletingPathExtension().lastPathComponent.dropFirst("input_".count))] = try Tensor(npyFile: file)
        }
        return inputs
    }

    /// A scratch folder for files a test makes, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-keras-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

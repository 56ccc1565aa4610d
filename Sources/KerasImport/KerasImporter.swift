import Foundation
import StrataCore

/// Imports Keras models: `.h5` (tf.keras 2 and Keras 3 dialects) and `.keras` archives.
///
/// Each Keras layer becomes one `Layer` of the graph, computed by ONNX-semantics nodes whose final value
/// is named after the layer and laid out as Keras lays it out (NHWC). Lambda layers and custom classes
/// are kept as nodes of domain `keras.unsupported` and never executed.
///
/// Names, chosen so a dump compares with `keras.Model(inputs, [l.output for l in model.layers])`: layers of
/// a nested model are `outer/inner` and the nested model itself is the layer `outer`; the first call of a
/// shared layer is `name`, call k > 0 is `name_k` (its own layer, its parameters counted once); graph
/// inputs are the InputLayer names with a symbolic batch `N`.
public enum KerasImporter: ModelImporter {
    public static let formatName = "Keras"
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]  // \x89HDF\r\n\x1A\n

    public static func matches(prefix: [UInt8], fileName: String) -> Bool {
        prefix.starts(with: hdf5Signature) || fileName.lowercased().hasSuffix(".keras")
    }

    public static func load(contentsOf url: URL) throws(ImportError) -> Model {
        let prefix: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            prefix = [UInt8](try handle.read(upToCount: 8) ?? Data())
        } catch {
            throw .unreadable(file: url.path, reason: "cannot open")
        }
        if prefix.starts(with: hdf5Signature) { return try loadH5(url) }
        if prefix.starts(with: [0x50, 0x4B]) { return try KerasArchive.load(url) }
        if url.pathExtension.lowercased() == "keras" {
            throw .invalid(file: url.path, problem: "not a .keras archive (not a zip file)")
        }
        throw .unknownFormat(file: url.path)
    }

    /// A `model.save("x.h5")` file: root attribute `model_config` (JSON) and group `model_weights`.
    static func loadH5(_ url: URL) throws(ImportError) -> Model {
        let file = try HDF5File(path: url.path, displayName: url.path)
        defer { file.close() }
        guard let json = try file.stringAttribute("model_config", of: "/") else {
            throw .invalid(file: url.path, problem: "HDF5 file without 'model_config' (not a Keras model, or weights only)")
        }
        let version = try file.stringAttribute("keras_version", of: "/")
        let dialect = KerasDialect(version: version)
        let spec = try KerasConfigParser.parseModel(json: Data(json.utf8), file: url.path)
        let graph = try KerasGraphBuilder(file: url.path, dialect: dialect, store: LegacyH5WeightStore(file: file)).build(spec)
        var metadata = ["keras_version": version ?? "unknown", "dialect": dialect == .keras2 ? "tf.keras 2" : "Keras 3"]
        if let backend = try file.stringAttribute("backend", of: "/") { metadata["backend"] = backend }
        return Model(graph: graph, format: .kerasH5, path: url.path, metadata: metadata)
    }
}

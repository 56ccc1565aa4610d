import Foundation
import StrataCore
import SwiftProtobuf

/// Imports ONNX `ModelProto` files (any IR version, any opsets) into a `Graph`.
///
/// Operators Strata cannot run are not import errors: their nodes stay in the graph and the runtime or
/// `strata inspect` reports them. Everything a file can get wrong — truncated protobuf, tensors whose
/// dims claim more than their bytes, external data outside the model's folder, a cycle — is an
/// `ImportError` naming the file.
public enum ONNXImporter: ModelImporter {
    public static let formatName = "ONNX"

    /// ONNX files have no magic number: the extension decides (the loader also tries unknown files as ONNX).
    public static func matches(prefix: [UInt8], fileName: String) -> Bool {
        fileName.lowercased().hasSuffix(".onnx")
    }

    /// Loads the model at `url`: graph, initializers (external data read from the model's folder),
    /// layers (one per node, in topological order) and metadata (producer, IR version, opsets, doc).
    public static func load(contentsOf url: URL) throws(ImportError) -> Model {
        let file = url.path
        let data = try read(url)
        // Large weights skip the decoded message and go from the file into their tensors.
        let split = data.withUnsafeBytes { LargePayloads.split($0) }
        let proto: Onnx_ModelProto = try parse(split?.message ?? data, file: file, what: "ONNX model")
        guard proto.hasGraph else { throw .invalid(file: file, problem: "not an ONNX model (no graph)") }
        let payloads = (split?.payloads ?? [:]).mapValues { RawBytes.file(url, $0) }
        let context = TensorDecoder(file: file, folder: url.deletingLastPathComponent())
        var graph = try GraphBuilder(file: file, decoder: context, payloads: payloads)
            .graph(from: proto.graph, opsets: opsets(of: proto))
        guard !graph.nodes.isEmpty else { throw .invalid(file: file, problem: "the ONNX graph has no nodes") }
        graph.layers = try LayerBuilder.layers(of: graph, file: file)
        return Model(graph: graph, format: .onnx, path: file, metadata: metadata(of: proto))
    }

    /// Reads a serialized `TensorProto` file (the ONNX conformance tests' `input_0.pb`, `output_0.pb`).
    /// External data is read relative to the file's folder.
    public static func loadTensor(contentsOf url: URL) throws(ImportError) -> Tensor {
        let proto: Onnx_TensorProto = try parse(try read(url), file: url.path, what: "ONNX tensor")
        return try TensorDecoder(file: url.path, folder: url.deletingLastPathComponent()).tensor(from: proto)
    }

    // MARK: - Decoding

    /// The file's bytes, memory-mapped (only the pages the decoder touches are read).
    static func read(_ url: URL) throws(ImportError) -> Data {
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw .unreadable(file: url.path, reason: exists ? "read failed" : "no such file")
        }
    }

    /// Parses a protobuf message; any failure is one line naming the file.
    static func parse<M: Message>(_ data: Data, file: String, what: String) throws(ImportError) -> M {
        guard !data.isEmpty else { throw .invalid(file: file, problem: "not a valid \(what) (empty file)") }
        do {
            return try M(serializedBytes: data)
        } catch let error as BinaryDecodingError {
            throw .invalid(file: file, problem: "not a valid \(what) (protobuf: \(describe(error)))")
        } catch {
            throw .invalid(file: file, problem: "not a valid \(what) (protobuf: \(error))")
        }
    }

    static func describe(_ error: BinaryDecodingError) -> String {
        switch error {
        case .truncated: "truncated"
        case .malformedProtobuf: "malformed"
        case .invalidUTF8: "invalid UTF-8 in a string"
        case .messageDepthLimit: "nested too deeply"
        case .missingRequiredFields: "missing required fields"
        default: "\(error)"
        }
    }

    // MARK: - Model facts

    /// Operator set versions by domain; `ai.onnx` is stored as `""`. Models without opset imports
    /// (IR < 3) are opset 1.
    static func opsets(of proto: Onnx_ModelProto) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in proto.opsetImport {
            let domain = entry.domain == "ai.onnx" ? "" : entry.domain
            result[domain] = Int(clamping: entry.version)
        }
        if result[""] == nil { result[""] = 1 }
        return result
    }

    static func metadata(of proto: Onnx_ModelProto) -> [String: String] {
        var facts: [String: String] = ["ir_version": String(proto.irVersion)]
        if !proto.producerName.isEmpty { facts["producer_name"] = proto.producerName }
        if !proto.producerVersion.isEmpty { facts["producer_version"] = proto.producerVersion }
        if !proto.domain.isEmpty { facts["domain"] = proto.domain }
        if proto.modelVersion != 0 { facts["model_version"] = String(proto.modelVersion) }
        if !proto.docString.isEmpty { facts["doc"] = proto.docString }
        if !proto.graph.name.isEmpty { facts["graph_name"] = proto.graph.name }
        facts["opsets"] = proto.opsetImport
            .map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain) \($0.version)" }
            .joined(separator: ", ")
        for prop in proto.metadataProps where facts[prop.key] == nil { facts[prop.key] = prop.value }
        return facts
    }
}

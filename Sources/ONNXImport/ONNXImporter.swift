import Foundation
import StrataCore

/// Imports ONNX `ModelProto` files.
public enum ONNXImporter: ModelImporter {
    public static let formatName = "ONNX"

    public static func matches(prefix: [UInt8], fileName: String) -> Bool {
        fileName.lowercased().hasSuffix(".onnx")
    }

    public static func load(contentsOf url: URL) throws(ImportError) -> Model {
        throw .invalid(file: url.path, problem: "ONNX import is being written")
    }
}

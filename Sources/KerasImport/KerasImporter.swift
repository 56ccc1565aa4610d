import Foundation
import StrataCore

/// Imports Keras models: `.h5` (tf.keras 2 and Keras 3) and `.keras` archives.
public enum KerasImporter: ModelImporter {
    public static let formatName = "Keras"
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]  // \x89HDF\r\n\x1A\n

    public static func matches(prefix: [UInt8], fileName: String) -> Bool {
        prefix.starts(with: hdf5Signature) || fileName.lowercased().hasSuffix(".keras")
    }

    public static func load(contentsOf url: URL) throws(ImportError) -> Model {
        throw .invalid(file: url.path, problem: "Keras import is being written")
    }
}

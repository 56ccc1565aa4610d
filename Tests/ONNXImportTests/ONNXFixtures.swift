import Foundation
import ONNXImport
import StrataCore
import Testing

/// The committed fixtures (made by Tools/make_onnx_fixtures.py), found from this file's path.
enum ONNXFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func load(_ name: String) throws -> Model { try ONNXImporter.load(contentsOf: url(name)) }

    /// The error message loading `name` fails with, or nil if it loads.
    static func failure(_ name: String) -> ImportError? {
        do {
            _ = try ONNXImporter.load(contentsOf: url(name))
            return nil
        } catch {
            return error
        }
    }

    /// The ONNX backend test data of the pinned onnx wheel (env STRATA_ONNX_DATA, set by `make test`).
    static func onnxData() throws -> URL {
        let path = try #require(ProcessInfo.processInfo.environment["STRATA_ONNX_DATA"],
                                "set STRATA_ONNX_DATA to onnx/backend/test/data of the onnx 1.22.0 wheel (make test does)")
        return URL(fileURLWithPath: path)
    }
}

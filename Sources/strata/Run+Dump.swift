import Foundation
import Runtime
import Snapshot
import StrataCore

/// `strata run --dump DIR`: one `.npy` per recorded tensor plus `DIR/manifest.json`.
///
/// ONNX models dump their inputs and every node output; Keras models their inputs and each layer's outputs
/// (the values named after Keras layers, in NHWC), never the runtime's internal ONNX-style values. The
/// manifest is the one snapshots keep (`TraceManifest`, docs/strata-format.md).
enum TraceDump {
    static func write(_ trace: Trace, model: Model, to folder: String, failure: RunFailure?) throws {
        let dir = URL(fileURLWithPath: folder)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw ValidationErrorMessage("\(folder): cannot create the dump folder: \((error as NSError).localizedDescription)")
        }
        let entries = TraceManifest.entries(trace, model: model, values: dumpedValues(trace, model: model))
        for entry in entries {
            try trace.tensor(named: entry.name)?.writeNPY(to: dir.appendingPathComponent(entry.file))
        }
        let manifest = ActivationManifest(model: model.path, format: model.format.rawValue, complete: failure == nil,
                                          error: failure?.description, tensors: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = dir.appendingPathComponent("manifest.json")
        do { try encoder.encode(manifest).write(to: url) } catch {
            throw ValidationErrorMessage("\(url.path): cannot write: \((error as NSError).localizedDescription)")
        }
    }

    /// Values to dump, in the order the run produced them.
    static func dumpedValues(_ trace: Trace, model: Model) -> [String] {
        let inputs = Set(model.graph.inputs.map(\.name))
        guard model.format != .onnx else { return trace.order }
        let layerOutputs = Set(model.graph.layers.flatMap(\.outputs))
        return trace.order.filter { inputs.contains($0) || layerOutputs.contains($0) }
    }
}

/// A one-line error message for the command line.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

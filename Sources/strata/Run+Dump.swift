import Foundation
import Runtime
import StrataCore

/// `strata run --dump DIR`: one `.npy` per recorded tensor plus `DIR/manifest.json`.
///
/// ONNX models dump their inputs and every node output; Keras models their inputs and each layer's outputs
/// (the values named after Keras layers, in NHWC), never the runtime's internal ONNX-style values.
enum TraceDump {
    struct Entry: Encodable {
        var name: String
        var file: String
        var shape: [Int]
        var dtype: String
        var layer: String?
        var layout: String
    }

    struct Manifest: Encodable {
        var model: String
        var format: String
        /// False when the run stopped early; `error` then says why.
        var complete: Bool
        var error: String?
        var tensors: [Entry]
    }

    static func write(_ trace: Trace, model: Model, to folder: String, failure: RunFailure?) throws {
        let dir = URL(fileURLWithPath: folder)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw ValidationErrorMessage("\(folder): cannot create the dump folder: \((error as NSError).localizedDescription)")
        }
        var used: Set<String> = []
        var entries: [Entry] = []
        let owners = layerOwners(model.graph)
        for name in dumpedValues(trace, model: model) {
            guard let t = trace.tensor(named: name) else { continue }
            let file = uniqueFileName(for: name, used: &used)
            try t.writeNPY(to: dir.appendingPathComponent(file))
            let layer = owners[name] ?? trace.producers[name].flatMap { owners[nodeKey($0)] }
            entries.append(Entry(name: name, file: file, shape: t.shape, dtype: t.dtype.rawValue, layer: layer?.name,
                                 layout: layer?.layout ?? defaultLayout(rank: t.rank, format: model.format)))
        }
        let manifest = Manifest(model: model.path, format: model.format.rawValue, complete: failure == nil,
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

    /// Layer of each layer output, and (under `nodeKey`) of each node index.
    static func layerOwners(_ graph: Graph) -> [String: Layer] {
        var owners: [String: Layer] = [:]
        for layer in graph.layers {
            for node in layer.nodes { owners[nodeKey(node)] = layer }
            for output in layer.outputs { owners[output] = layer }
        }
        return owners
    }

    private static func nodeKey(_ index: Int) -> String { "\u{0}node\(index)" }

    static func defaultLayout(rank: Int, format: ModelFormat) -> String {
        switch rank {
        case 4: format == .onnx ? "NCHW" : "NHWC"
        case 2: "NC"
        default: ""
        }
    }

    /// The value name with characters other than letters, digits, `.`, `-`, `_` replaced by `_`, made unique.
    static func uniqueFileName(for name: String, used: inout Set<String>) -> String {
        var base = String(name.map { c in c.isASCII && (c.isLetter || c.isNumber || "._-".contains(c)) ? c : "_" })
        if base.isEmpty || base.hasPrefix(".") { base = "_" + base }
        var candidate = base + ".npy", n = 2
        while used.contains(candidate.lowercased()) {
            candidate = "\(base)_\(n).npy"
            n += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }
}

/// A one-line error message for the command line.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

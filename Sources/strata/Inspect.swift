import ArgumentParser
import Foundation
import ModelLoading
import Runtime
import StrataCore

/// `strata inspect MODEL [--json]`: the layer table of a model (name, operator, output shape, parameters),
/// with totals and the operators Strata cannot run.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a model's layers, output shapes and parameter counts.")

    @Argument(help: "Model file (.onnx, .h5, .keras).") var model: String
    @Flag(help: "Print JSON: format, inputs, outputs, layers (name, op, inputs, outputs, output_shapes, params, supported), params.")
    var json = false

    func run() throws {
        try withFailureReporting {
            let loaded = try ModelLoader.load(contentsOf: URL(fileURLWithPath: model))
            let summary = ModelSummary(model: loaded)
            print(json ? try summary.json() : summary.text())
        }
    }
}

/// What `inspect` prints, computed once from a loaded model.
struct ModelSummary: Encodable {
    struct Value: Encodable {
        var name: String
        /// nil when the rank is unknown (JSON null).
        var shape: [Dim]?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(shape, forKey: .shape)
        }

        enum CodingKeys: String, CodingKey { case name, shape }
    }

    struct LayerEntry: Encodable {
        var name: String
        var op: String
        var inputs: [String]
        var outputs: [String]
        var outputShapes: [[Dim]?]
        var params: Int
        var supported: Bool

        enum CodingKeys: String, CodingKey {
            case name, op, inputs, outputs, outputShapes = "output_shapes", params, supported
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(op, forKey: .op)
            try c.encode(inputs, forKey: .inputs)
            try c.encode(outputs, forKey: .outputs)
            var shapes = c.nestedUnkeyedContainer(forKey: .outputShapes)
            for shape in outputShapes {
                if let shape { try shapes.encode(shape) } else { try shapes.encodeNil() }
            }
            try c.encode(params, forKey: .params)
            try c.encode(supported, forKey: .supported)
        }
    }

    var file: String
    var format: String
    var metadata: [String: String]
    var inputs: [Value]
    var outputs: [Value]
    var layers: [LayerEntry]
    var params: Int
    /// Operator names Strata cannot run, each once, in layer order.
    var unsupportedOps: [String]

    enum CodingKeys: String, CodingKey {
        case file, format, metadata, inputs, outputs, layers, params, unsupportedOps = "unsupported_ops"
    }

    init(model: Model) {
        let graph = model.graph
        let types = ShapeInference.infer(graph)
        func shape(_ info: ValueInfo) -> [Dim]? { info.type.shape ?? types[info.name]?.shape }
        file = model.path
        format = model.format.rawValue
        metadata = model.metadata
        inputs = graph.inputs.map { Value(name: $0.name, shape: shape($0)) }
        outputs = graph.outputs.map { Value(name: $0.name, shape: shape($0)) }
        layers = graph.layers.map { layer in
            let supported = layer.nodes.allSatisfy { graph.nodes.indices.contains($0) && KernelRegistry.supports(graph.nodes[$0]) }
            return LayerEntry(name: layer.name, op: layer.op, inputs: layer.inputs, outputs: layer.outputs,
                              outputShapes: layer.outputs.map { types[$0]?.shape ?? graph.valueInfo[$0]?.type.shape },
                              params: layer.params, supported: supported)
        }
        params = layers.reduce(0) { $0 + $1.params }
        var seen = Set<String>()
        unsupportedOps = graph.layers.flatMap { layer in
            layer.nodes.filter { graph.nodes.indices.contains($0) && !KernelRegistry.supports(graph.nodes[$0]) }
                .map { graph.nodes[$0].opType }
        }.filter { seen.insert($0).inserted }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    // MARK: - Text

    /// A Keras-style summary: header, one row per layer (extra rows for extra outputs), totals.
    func text() -> String {
        var rows: [(String, String, String)] = []
        for layer in layers {
            let mark = layer.supported ? "" : " *"
            let shapes = layer.outputShapes.isEmpty ? [nil] : layer.outputShapes
            for (i, shape) in shapes.enumerated() {
                rows.append(i == 0 ? ("\(layer.name) (\(layer.op))\(mark)", Self.format(shape), Self.grouped(layer.params))
                                   : ("", Self.format(shape), ""))
            }
        }
        let header = ("Layer (op)", "Output shape", "Param #")
        let w0 = min(60, max(header.0.count, rows.map(\.0.count).max() ?? 0))
        let w1 = min(40, max(header.1.count, rows.map(\.1.count).max() ?? 0))
        let w2 = max(header.2.count, rows.map(\.2.count).max() ?? 0)
        let width = w0 + w1 + w2 + 4
        func line(_ r: (String, String, String)) -> String {
            Self.pad(r.0, w0) + "  " + Self.pad(r.1, w1) + "  " + String(repeating: " ", count: max(0, w2 - r.2.count)) + r.2
        }
        var out = ["Model: \(file) (\(format))"]
        out += headerFacts()
        out += [String(repeating: "─", count: width), line(header), String(repeating: "═", count: width)]
        out += rows.map(line)
        out += [String(repeating: "═", count: width)]
        out.append("Total params: \(Self.grouped(params))")
        out.append("Layers: \(layers.count)")
        if !unsupportedOps.isEmpty {
            out.append("Unsupported operators (*): \(unsupportedOps.joined(separator: ", "))")
        }
        return out.joined(separator: "\n")
    }

    private func headerFacts() -> [String] {
        var facts: [String] = []
        let producer = [metadata["producer_name"], metadata["producer_version"]].compactMap { $0 }.joined(separator: " ")
        if !producer.isEmpty { facts.append("Producer: \(producer)") }
        if let opsets = metadata["opsets"], !opsets.isEmpty { facts.append("Opsets: \(opsets)") }
        facts.append("Inputs: " + inputs.map { "\($0.name) \(Self.format($0.shape))" }.joined(separator: ", "))
        facts.append("Outputs: " + outputs.map { "\($0.name) \(Self.format($0.shape))" }.joined(separator: ", "))
        return facts
    }

    static func format(_ shape: [Dim]?) -> String {
        guard let shape else { return "?" }
        return "(" + shape.map(\.description).joined(separator: ", ") + ")"
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        let clipped = s.count > width ? String(s.prefix(width - 1)) + "…" : s
        return clipped + String(repeating: " ", count: max(0, width - clipped.count))
    }
}

import Foundation
import Runtime
import Scene
import StrataCore

/// What the inspector shows about one layer, computed once per selection and run (plain data, no drawing).
public struct LayerSummary: Sendable {
    public var name: String
    public var op: String
    /// Attribute name and value as text, sorted by name.
    public var attributes: [(name: String, value: String)]
    public var inputs: [(name: String, shape: String)]
    public var outputs: [(name: String, shape: String)]
    /// Learned tensors (initializers) the layer reads, with their shapes.
    public var weights: [(name: String, shape: String)]
    public var params: Int
    /// Statistics of the layer's output in the last run.
    public var stats: TensorStats?
    /// Counts of finite output values in `histogramBins` equal bins from `stats.min` to `stats.max`.
    public var histogram: [Int]

    /// Bins of the histogram.
    public static let histogramBins = 40

    /// The summary of `layer` of `graph`; `types` gives inferred shapes, `trace` the last run (if any).
    public init(layer: Layer, graph: Graph, types: [String: TensorType], trace: Trace?) {
        self.init(layer: layer, graph: graph, types: types, activations: trace.map(TraceActivationSource.init))
    }

    /// The summary of `layer` of `graph`; `types` gives inferred shapes, `activations` the values of the last
    /// run or of a snapshot (if any).
    public init(layer: Layer, graph: Graph, types: [String: TensorType], activations: (any ActivationSource)?) {
        name = layer.name
        op = layer.op
        attributes = layer.attributes.keys.sorted().map { ($0, Self.describe(layer.attributes[$0]!)) }
        let weightNames = layer.inputs.filter { graph.initializers[$0] != nil }
        weights = weightNames.map { ($0, UIFormat.shape(graph.initializers[$0]!.shape)) }
        inputs = layer.inputs.filter { graph.initializers[$0] == nil }
            .map { ($0, Self.shape(of: $0, types: types, activations: activations)) }
        outputs = layer.outputs.map { ($0, Self.shape(of: $0, types: types, activations: activations)) }
        params = layer.params
        let output = layer.outputs.reversed().lazy.compactMap { activations?.tensor(named: $0) }.first
        let outputStats = output.map(TensorStats.init)
        stats = outputStats
        histogram = output.map { Self.histogram($0, stats: outputStats) } ?? []
    }

    /// Counts of finite values of `tensor` per bin over `stats`' range.
    public static func histogram(_ tensor: Tensor, stats: TensorStats?, bins: Int = histogramBins) -> [Int] {
        guard let stats, stats.finiteCount > 0 else { return [] }
        var counts = [Int](repeating: 0, count: bins)
        let lo = stats.min, span = stats.max - stats.min
        let values = tensor.dtype == .float32 ? tensor : tensor.converted(to: .float32)
        values.withFloats { src in
            for v in src where v.isFinite {
                let i = span > 0 ? Int((v - lo) / span * Float(bins)) : 0
                counts[min(max(i, 0), bins - 1)] += 1
            }
        }
        return counts
    }

    static func shape(of value: String, types: [String: TensorType], activations: (any ActivationSource)?) -> String {
        if let t = activations?.tensor(named: value) { return UIFormat.shape(t.shape) }
        guard let dims = types[value]?.shape else { return "?" }
        return dims.isEmpty ? "scalar" : dims.map(\.description).joined(separator: "×")
    }

    static func describe(_ attribute: Attribute) -> String {
        switch attribute {
        case let .int(v): return String(v)
        case let .float(v): return UIFormat.number(v)
        case let .string(s): return "\"\(s)\""
        case let .ints(v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case let .floats(v): return "[" + v.prefix(8).map(UIFormat.number).joined(separator: ", ") + (v.count > 8 ? ", …]" : "]")
        case let .strings(v): return "[" + v.prefix(6).joined(separator: ", ") + (v.count > 6 ? ", …]" : "]")
        case let .tensor(t): return "tensor " + UIFormat.shape(t.shape)
        case let .unsupported(kind): return "(\(kind))"
        }
    }
}

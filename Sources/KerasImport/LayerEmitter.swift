import Foundation
import StrataCore

/// Builds the ONNX-semantics nodes of one Keras layer call.
///
/// Internal values are named `<output>/<tag>`; the last node's output is renamed to the call's output
/// name (the Keras layer name), so the value a dump records under the layer's name is its final,
/// activated output in Keras layout. Weights become initializers named `<layer>/<weight>`.
struct LayerEmitter {
    /// The layer entry in the config.
    let spec: LayerSpec
    /// The flattened layer name (`outer/inner` inside a nested model).
    let layerName: String
    /// The value this call writes (the layer name, or `<layer>_<k>` for call k > 0 of a shared layer).
    let output: String
    /// Values the call reads, and what is known of their shapes (batch first).
    let inputs: [String]
    let inputShapes: [[Dim]?]
    let dialect: KerasDialect
    let file: String

    private(set) var nodes: [Node] = []
    private(set) var initializers: [String: Tensor] = [:]
    private var weights: [Tensor]
    private var nextWeight = 0
    private var tagCounts: [String: Int] = [:]

    init(spec: LayerSpec, layerName: String, output: String, inputs: [String], inputShapes: [[Dim]?],
         weights: [Tensor], dialect: KerasDialect, file: String) {
        self.spec = spec
        self.layerName = layerName
        self.output = output
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.weights = weights
        self.dialect = dialect
        self.file = file
    }

    var config: JSONObject { spec.config }
    /// The first input, which most layers have exactly one of.
    var input: String { inputs[0] }
    var inputShape: [Dim]? { inputShapes[0] }
    /// Element count of all the layer's weights, trainable or not (Keras' parameter count).
    var parameterCount: Int { weights.reduce(0) { $0 + $1.count } }

    func fail(_ problem: String) -> ImportError { .invalid(file: file, problem: "layer '\(layerName)' (\(spec.className)): \(problem)") }

    // MARK: - Nodes and constants

    /// Appends a node and returns the name of its (first) output.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ attributes: [String: Attribute] = [:], tag: String? = nil,
                       domain: String = "") -> String {
        let out = value(tag ?? op.lowercased())
        nodes.append(Node(name: out, opType: op, domain: domain, inputs: inputs, outputs: [out], attributes: attributes))
        return out
    }

    /// A fresh internal value name `<output>/<tag>`.
    mutating func value(_ tag: String) -> String {
        while true {
            let n = tagCounts[tag, default: 0]
            tagCounts[tag] = n + 1
            let name = n == 0 ? "\(output)/\(tag)" : "\(output)/\(tag)_\(n)"
            if initializers[name] == nil { return name }
        }
    }

    /// Adds a constant (a converted weight, a shape, a scalar) and returns its name.
    mutating func constant(_ name: String, _ tensor: Tensor) -> String {
        let full = "\(layerName)/\(name)"
        initializers[full] = tensor
        return full
    }

    mutating func floats(_ name: String, _ values: [Float], shape: [Int]? = nil) -> String {
        constant(name, Tensor(shape: shape ?? [values.count], floats: values))
    }

    mutating func int64s(_ name: String, _ values: [Int]) -> String {
        constant(name, Tensor(shape: [values.count], scalars: values.map { Int64($0) }))
    }

    /// Makes the last node write `output`; a layer without nodes becomes an Identity of its input.
    mutating func finish() {
        if nodes.isEmpty { node("Identity", [input]) }
        nodes[nodes.count - 1].outputs[0] = output
        nodes[nodes.count - 1].name = output
    }

    // MARK: - Weights

    /// The layer's next weight in Keras order; `expected` checks its shape (`nil` entries are not checked).
    mutating func weight(_ what: String, shape expected: [Int?]) throws(ImportError) -> Tensor {
        guard nextWeight < weights.count else {
            throw fail("missing weight '\(what)' (the file has \(weights.count) weights for this layer)")
        }
        let w = weights[nextWeight]
        nextWeight += 1
        let matches = w.shape.count == expected.count && zip(w.shape, expected).allSatisfy { $1 == nil || $0 == $1 }
        guard matches else {
            let want = expected.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
            throw fail("weight '\(what)' has shape \(w.shape), expected [\(want)]")
        }
        return w
    }

    /// The weights not taken yet (for layers Strata keeps but does not convert).
    mutating func remainingWeights() -> [Tensor] {
        defer { nextWeight = weights.count }
        return Array(weights[nextWeight...])
    }

    /// Checks that every weight of the file was used.
    func checkAllWeightsUsed() throws(ImportError) {
        guard nextWeight == weights.count else {
            throw fail("the file has \(weights.count) weights for this layer, expected \(nextWeight)")
        }
    }

    // MARK: - Layout helpers

    /// NHWC → NCHW.
    mutating func toNCHW(_ x: String) -> String { node("Transpose", [x], ["perm": .ints([0, 3, 1, 2])], tag: "nchw") }
    /// NCHW → NHWC.
    mutating func toNHWC(_ x: String) -> String { node("Transpose", [x], ["perm": .ints([0, 2, 3, 1])], tag: "nhwc") }

    /// NWC → NCHW with H = 1, so that 1-D layers run as 2-D ones.
    mutating func nwcToNCHW(_ x: String) -> String {
        let ncw = node("Transpose", [x], ["perm": .ints([0, 2, 1])], tag: "ncw")
        return node("Reshape", [ncw, int64s("shape_nc1w", [0, 0, 1, -1])], tag: "nchw")
    }

    /// NCHW with H = 1 → NWC.
    mutating func nchwToNWC(_ x: String) -> String {
        let ncw = node("Reshape", [x, int64s("shape_ncw", [0, 0, -1])], tag: "ncw")
        return node("Transpose", [ncw], ["perm": .ints([0, 2, 1])], tag: "nwc")
    }

    /// The input's rank, when known.
    var inputRank: Int? { inputShape?.count }

    /// A known dimension of the input (negative axes count from the end).
    func inputDim(_ axis: Int) -> Int? {
        guard let shape = inputShape else { return nil }
        let a = axis < 0 ? shape.count + axis : axis
        return shape.indices.contains(a) ? shape[a].intValue : nil
    }
}

/// Shape helpers for `[Dim]` with a symbolic batch.
extension Array where Element == Dim {
    /// `[N, d1, d2, ...]` from Keras' `[null, d1, d2, ...]`.
    static func keras(_ dims: [Int?]) -> [Dim] {
        dims.enumerated().map { i, d in d.map { .value($0) } ?? (i == 0 ? .symbol("N") : .symbol("?")) }
    }
}

/// `Dim` from an optional computed size.
func dim(_ value: Int?) -> Dim { value.map { .value($0) } ?? .symbol("?") }

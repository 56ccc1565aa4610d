import Foundation
import StrataCore

/// Turns a Keras model config plus its weights into a `Graph`: one `Layer` per Keras layer call, whose
/// ONNX-semantics nodes end in a value named after the layer, in Keras layout (NHWC).
///
/// Naming: a nested model's layers are `outer/inner`, and the nested model itself is a layer `outer`
/// (an Identity of its output). Call k > 0 of a shared layer is its own layer and value `name_k`
/// (the first call keeps the bare name, which is what `keras.Model(inputs, [l.output for l in
/// model.layers])` reports). A second output of a layer is `name/output_1`.
final class KerasGraphBuilder {
    let file: String
    let dialect: KerasDialect
    let store: any KerasWeightStore

    private var nodes: [Node] = []
    private var initializers: [String: Tensor] = [:]
    private var layers: [Layer] = []
    private var shapes: [String: [Dim]] = [:]
    private var valueNames: Set<String> = []
    private var graphInputs: [ValueInfo] = []
    private var weightCache: [String: [Tensor]] = [:]

    init(file: String, dialect: KerasDialect, store: any KerasWeightStore) {
        self.file = file
        self.dialect = dialect
        self.store = store
    }

    func fail(_ problem: String) -> ImportError { .invalid(file: file, problem: problem) }

    /// Builds the graph of the top model.
    func build(_ model: ModelSpec) throws(ImportError) -> Graph {
        let outputs = try run(model, prefix: "", scope: store.topScope, feeds: nil)
        var valueInfo: [String: ValueInfo] = [:]
        for (name, shape) in shapes { valueInfo[name] = ValueInfo(name: name, type: TensorType(dtype: .float32, shape: shape)) }
        return Graph(
            name: model.name, nodes: nodes, inputs: graphInputs,
            outputs: outputs.map { valueInfo[$0] ?? ValueInfo(name: $0, type: TensorType(dtype: .float32)) },
            initializers: initializers, valueInfo: valueInfo, layers: layers, opsets: ["": 17]
        )
    }

    // MARK: - Models

    /// Adds `model`'s layers; `feeds` are the values entering a nested model (nil for the top model).
    /// Returns the model's output values.
    private func run(_ model: ModelSpec, prefix: String, scope: WeightScope, feeds: [String]?) throws(ImportError) -> [String] {
        model.isSequential
            ? try runSequential(model, prefix: prefix, scope: scope, feeds: feeds)
            : try runFunctional(model, prefix: prefix, scope: scope, feeds: feeds)
    }

    private func runSequential(_ model: ModelSpec, prefix: String, scope: WeightScope, feeds: [String]?) throws(ImportError) -> [String] {
        var body = model.layers[...]
        var current: [String]
        if let first = body.first, first.className == "InputLayer" {
            current = try inputLayer(first, prefix: prefix, feed: feeds?.first)
            body = body.dropFirst()
        } else if let feeds {
            current = feeds
        } else {
            guard let first = body.first, let shape = first.config.optionalInts("batch_input_shape")
                    ?? first.config.optionalInts("batch_shape") ?? model.buildInputShape else {
                throw fail("Sequential model '\(model.name)' declares no input shape")
            }
            current = [addGraphInput("\(first.name)_input", shape: shape)]
        }
        for layer in body {
            current = try call(layer, index: 0, inputs: current, refShapes: [], prefix: prefix, scope: scope, parent: model)
        }
        return current
    }

    private func runFunctional(_ model: ModelSpec, prefix: String, scope: WeightScope, feeds: [String]?) throws(ImportError) -> [String] {
        var produced: [String: [String]] = [:]  // "layer#call" → output values
        var pending: [(layer: LayerSpec, call: Int)] = []
        for layer in model.layers {
            if layer.className == "InputLayer" {
                let position = model.inputs.firstIndex { $0.layer == layer.name }
                let feed = feeds.flatMap { f in position.flatMap { f.indices.contains($0) ? f[$0] : nil } }
                if feeds != nil, feed == nil { throw fail("nested model '\(model.name)': input '\(layer.name)' is not fed") }
                produced["\(layer.name)#0"] = try inputLayer(layer, prefix: prefix, feed: feed)
            } else {
                pending += layer.calls.indices.map { (layer, $0) }
            }
        }
        while !pending.isEmpty {
            var progressed = false
            var waiting: [(layer: LayerSpec, call: Int)] = []
            for item in pending {
                let refs = item.layer.calls[item.call]
                let values = refs.map { r in produced["\(r.layer)#\(r.node)"].flatMap { $0.indices.contains(r.tensor) ? $0[r.tensor] : nil } }
                guard values.allSatisfy({ $0 != nil }) else { waiting.append(item); continue }
                produced["\(item.layer.name)#\(item.call + nodeOffset(item.layer))"] = try call(
                    item.layer, index: item.call, inputs: values.map { $0! }, refShapes: refs.map(\.shape),
                    prefix: prefix, scope: scope, parent: model)
                progressed = true
            }
            guard progressed else {
                let names = waiting.map { $0.layer.name }.joined(separator: "', '")
                throw fail("model '\(model.name)': layers '\(names)' read tensors no layer produces")
            }
            pending = waiting
        }
        return try model.outputs.map { r throws(ImportError) in
            guard let outs = produced["\(r.layer)#\(r.node)"], outs.indices.contains(r.tensor) else {
                throw fail("model '\(model.name)': output '\(r.layer)' is not a layer of the model")
            }
            return outs[r.tensor]
        }
    }

    /// tf.keras 2 counts a nested model's own construction as its node 0, so references to its first call
    /// say node 1 (`_should_skip_first_node`); Keras 3 does not.
    private func nodeOffset(_ layer: LayerSpec) -> Int {
        guard dialect == .keras2, layer.isModel else { return 0 }
        if layer.className == "Sequential" {
            let first = layer.config.array("layers")?.first.flatMap { JSONObject($0) }
            return first?.string("class_name") == "InputLayer" ? 1 : 0
        }
        return 1
    }

    /// An InputLayer: a graph input for the top model, an alias of the fed value inside a nested one.
    private func inputLayer(_ layer: LayerSpec, prefix: String, feed: String?) throws(ImportError) -> [String] {
        if let feed { return [feed] }
        guard let shape = layer.config.optionalInts("batch_shape") ?? layer.config.optionalInts("batch_input_shape") else {
            throw fail("input layer '\(layer.name)' has no shape")
        }
        return [addGraphInput(prefix + layer.name, shape: shape)]
    }

    private func addGraphInput(_ name: String, shape: [Int?]) -> String {
        let dims = [Dim].keras(shape)
        graphInputs.append(ValueInfo(name: name, type: TensorType(dtype: .float32, shape: dims)))
        shapes[name] = dims
        valueNames.insert(name)
        layers.append(Layer(name: name, op: "InputLayer", nodes: [], inputs: [], outputs: [name], params: 0,
                            layout: Self.layout(rank: dims.count)))
        return name
    }

    // MARK: - Layer calls

    /// Adds call `index` of `layer` reading `inputs`; returns its output values.
    private func call(_ layer: LayerSpec, index: Int, inputs: [String], refShapes: [[Int?]?], prefix: String,
                      scope: WeightScope, parent: ModelSpec) throws(ImportError) -> [String] {
        let output = uniqueName(prefix + layer.name + (index == 0 ? "" : "_\(index)"))
        guard !inputs.isEmpty else { throw fail("layer '\(prefix + layer.name)' (\(layer.className)) has no inputs") }
        if layer.isModel { return try callNested(layer, output: output, inputs: inputs, scope: scope, parent: parent) }
        let flatName = prefix + layer.name
        if weightCache[flatName] == nil { weightCache[flatName] = try store.weights(of: layer, in: scope, parent: parent) }
        let inputShapes = inputs.enumerated().map { i, v in
            shapes[v] ?? (refShapes.indices.contains(i) ? refShapes[i].map { [Dim].keras($0) } : nil)
        }
        var emitter = LayerEmitter(spec: layer, layerName: flatName, output: output, inputs: inputs,
                                   inputShapes: inputShapes, weights: weightCache[flatName] ?? [], dialect: dialect, file: file)
        let outShape = try KerasLayers.emit(&emitter)
        emitter.finish()
        append(emitter, as: Layer(
            name: output, op: layer.className, nodes: [], inputs: inputs, outputs: [output],
            params: index == 0 ? emitter.parameterCount : 0, layout: Self.layout(rank: outShape?.count),
            attributes: Self.interestingAttributes(layer.config)))
        if let outShape { shapes[output] = outShape }
        return [output]
    }

    private func callNested(_ layer: LayerSpec, output: String, inputs: [String], scope: WeightScope,
                            parent: ModelSpec) throws(ImportError) -> [String] {
        let inner = try KerasConfigParser.model(JSONObject(["class_name": layer.className, "config": layer.config.values]), file: file)
        let innerScope = try store.scope(ofNested: layer, in: scope, parent: parent)
        let innerOutputs = try run(inner, prefix: output + "/", scope: innerScope, feeds: inputs)
        var outs: [String] = []
        var layerNodes: [Int] = []
        for (i, value) in innerOutputs.enumerated() {
            let name = i == 0 ? output : uniqueName("\(output)/output_\(i)")
            layerNodes.append(nodes.count)
            nodes.append(Node(name: name, opType: "Identity", inputs: [value], outputs: [name]))
            if let s = shapes[value] { shapes[name] = s }
            outs.append(name)
        }
        layers.append(Layer(name: output, op: layer.className, nodes: layerNodes, inputs: inputs, outputs: outs, params: 0,
                            layout: Self.layout(rank: shapes[output]?.count)))
        return outs
    }

    private func append(_ emitter: LayerEmitter, as layer: Layer) {
        var layer = layer
        layer.nodes = Array(nodes.count..<(nodes.count + emitter.nodes.count))
        nodes += emitter.nodes
        initializers.merge(emitter.initializers) { _, new in new }
        layers.append(layer)
    }

    private func uniqueName(_ base: String) -> String {
        var name = base
        var n = 1
        while valueNames.contains(name) || initializers[name] != nil {
            name = "\(base)_\(n)"
            n += 1
        }
        valueNames.insert(name)
        return name
    }

    // MARK: - Layer facts

    static func layout(rank: Int?) -> String {
        switch rank {
        case 4: "NHWC"
        case 3: "NWC"
        case 2: "NC"
        default: ""
        }
    }

    private static let skippedKeys: Set<String> = ["name", "trainable", "dtype", "data_format", "batch_input_shape", "batch_shape"]

    /// Scalar and list config entries worth showing (`filters`, `kernel_size`, `activation`, ...).
    private static func isFloat(_ n: NSNumber) -> Bool {
        let code = String(cString: n.objCType)
        return code == "d" || code == "f"
    }

    static func interestingAttributes(_ config: JSONObject) -> [String: Attribute] {
        var out: [String: Attribute] = [:]
        for (key, value) in config.values where !skippedKeys.contains(key) {
            if let s = value as? String {
                out[key] = .string(s)
            } else if let n = value as? NSNumber {
                out[key] = isFloat(n) ? .float(n.floatValue) : .int(n.intValue)
            } else if let a = value as? [NSNumber], !a.isEmpty, a.count <= 16 {
                out[key] = a.contains(where: isFloat) ? .floats(a.map(\.floatValue)) : .ints(a.map(\.intValue))
            }
        }
        return out
    }
}

import Foundation
import StrataCore

/// A JSON object of a Keras `model_config`, with typed reads that accept both dialects' spellings
/// (`3` or `[3]`, `"float32"` or a `DTypePolicy` object).
struct JSONObject {
    let values: [String: Any]

    init(_ values: [String: Any]) { self.values = values }

    init?(_ any: Any?) {
        guard let values = any as? [String: Any] else { return nil }
        self.values = values
    }

    subscript(key: String) -> Any? {
        let v = values[key]
        return v is NSNull ? nil : v
    }

    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> JSONObject? { JSONObject(self[key]) }
    func array(_ key: String) -> [Any]? { self[key] as? [Any] }

    func bool(_ key: String, default value: Bool) -> Bool { (self[key] as? NSNumber)?.boolValue ?? value }

    func double(_ key: String) -> Double? {
        if let n = self[key] as? NSNumber { return n.doubleValue }
        if let a = self[key] as? [Any], a.count == 1, let n = a[0] as? NSNumber { return n.doubleValue }
        return nil
    }

    func float(_ key: String, default value: Float) -> Float { double(key).map { Float($0) } ?? value }

    func int(_ key: String) -> Int? {
        if let n = self[key] as? NSNumber { return n.intValue }
        if let a = self[key] as? [Any], a.count == 1, let n = a[0] as? NSNumber { return n.intValue }
        return nil
    }

    /// An int list; a single int is repeated `count` times (`kernel_size: 3` means `[3, 3]`).
    func ints(_ key: String, count: Int) -> [Int]? {
        if let n = self[key] as? NSNumber { return Array(repeating: n.intValue, count: count) }
        guard let a = self[key] as? [Any] else { return nil }
        let ints = a.compactMap { ($0 as? NSNumber)?.intValue }
        guard ints.count == a.count else { return nil }
        return ints.count == count ? ints : (ints.count == 1 ? Array(repeating: ints[0], count: count) : nil)
    }

    /// An int list of any length (`null` entries become `nil`).
    func optionalInts(_ key: String) -> [Int?]? {
        guard let a = self[key] as? [Any] else { return nil }
        return a.map { ($0 as? NSNumber)?.intValue }
    }
}

/// Which Keras wrote the file: the two disagree on some defaults (`hard_sigmoid`).
enum KerasDialect: Sendable {
    case keras2
    case keras3

    init(version: String?) {
        self = (version.flatMap { Int($0.prefix { $0.isNumber }) } ?? 3) >= 3 ? .keras3 : .keras2
    }
}

/// One reference to a layer call's output in `inbound_nodes` or `input_layers`.
struct TensorRef: Equatable {
    var layer: String
    var node: Int
    var tensor: Int
    /// The shape Keras 3 records for the tensor (batch first), when it does.
    var shape: [Int?]?
}

/// A layer entry of a model config.
struct LayerSpec {
    var className: String
    var name: String
    var config: JSONObject
    /// The inputs of each call of the layer inside its model, in call order.
    var calls: [[TensorRef]]

    /// Whether this layer is itself a model (nested Sequential or Functional).
    var isModel: Bool { config.array("layers") != nil && ["Sequential", "Functional", "Model"].contains(className) }
}

/// A Sequential or Functional model config.
struct ModelSpec {
    var name: String
    var isSequential: Bool
    var layers: [LayerSpec]
    var inputs: [TensorRef]
    var outputs: [TensorRef]
    /// Sequential only: the input shape (batch first) when no InputLayer is listed.
    var buildInputShape: [Int?]?
}

// MARK: - Parsing

enum KerasConfigParser {
    /// Parses the JSON text of `model_config` / `config.json`.
    static func parseModel(json: Data, file: String) throws(ImportError) -> ModelSpec {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: json) } catch {
            throw .invalid(file: file, problem: "model_config is not valid JSON")
        }
        guard let object = JSONObject(root) else { throw .invalid(file: file, problem: "model_config is not a JSON object") }
        return try model(object, file: file)
    }

    /// A model from its `{"class_name": ..., "config": {...}}` object.
    static func model(_ object: JSONObject, file: String) throws(ImportError) -> ModelSpec {
        let className = object.string("class_name") ?? ""
        guard let config = object.object("config"), let layerList = config.array("layers") else {
            throw .invalid(file: file, problem: "model_config of class '\(className)' has no layer list (not a Sequential or Functional model)")
        }
        let name = config.string("name") ?? "model"
        var layers: [LayerSpec] = []
        for entry in layerList {
            guard let layer = JSONObject(entry), let cls = layer.string("class_name") else {
                throw .invalid(file: file, problem: "a layer of model '\(name)' has no class_name")
            }
            let layerConfig = layer.object("config") ?? JSONObject([:])
            guard let layerName = layer.string("name") ?? layerConfig.string("name") else {
                throw .invalid(file: file, problem: "a '\(cls)' layer of model '\(name)' has no name")
            }
            let calls = try inboundCalls(layer["inbound_nodes"], file: file, layer: layerName)
            layers.append(LayerSpec(className: cls, name: layerName, config: layerConfig, calls: calls))
        }
        let isSequential = className == "Sequential"
        if !isSequential, config["input_layers"] == nil {
            throw .invalid(file: file, problem: "model '\(name)' of class '\(className)' has no input_layers")
        }
        return ModelSpec(
            name: name, isSequential: isSequential, layers: layers,
            inputs: refList(config["input_layers"]), outputs: refList(config["output_layers"]),
            buildInputShape: config.optionalInts("build_input_shape")
        )
    }

    /// `[["a", 0, 0], ["b", 0, 0]]` or, Keras 3 with one tensor, `["a", 0, 0]`; Keras 3 may also use a dict.
    static func refList(_ any: Any?) -> [TensorRef] {
        if let single = ref(any) { return [single] }
        if let dict = any as? [String: Any] { return dict.keys.sorted().compactMap { ref(dict[$0]) } }
        return (any as? [Any])?.compactMap { ref($0) } ?? []
    }

    private static func ref(_ any: Any?) -> TensorRef? {
        guard let a = any as? [Any], a.count >= 3, let layer = a[0] as? String,
              let node = (a[1] as? NSNumber)?.intValue, let tensor = (a[2] as? NSNumber)?.intValue
        else { return nil }
        return TensorRef(layer: layer, node: node, tensor: tensor, shape: nil)
    }

    /// Normalizes `inbound_nodes`: tf.keras 2 `[[["x", 0, 0, {}], ...], ...]` or Keras 3
    /// `[{"args": [...keras tensors...], "kwargs": {...}}, ...]`.
    private static func inboundCalls(_ any: Any?, file: String, layer: String) throws(ImportError) -> [[TensorRef]] {
        guard let nodes = any as? [Any] else { return [] }
        return nodes.map { node in
            if let call = JSONObject(node) {
                var refs: [TensorRef] = []
                collectKerasTensors(call["args"], into: &refs)
                return refs
            }
            return (node as? [Any])?.compactMap { ref($0) } ?? []
        }
    }

    private static func collectKerasTensors(_ any: Any?, into refs: inout [TensorRef]) {
        if let object = JSONObject(any) {
            if object.string("class_name") == "__keras_tensor__", let config = object.object("config"),
               let history = config.array("keras_history"), var r = ref(history) {
                r.shape = config.optionalInts("shape")
                refs.append(r)
            }
            return
        }
        if let list = any as? [Any] { for item in list { collectKerasTensors(item, into: &refs) } }
    }
}

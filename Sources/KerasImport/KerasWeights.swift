import Foundation
import StrataCore

/// Where the weights of one model (the top model or a nested one) live in the weights file.
struct WeightScope {
    /// HDF5 group path: `/model_weights` or `/model_weights/<nested>` (`.h5`), `` or `/layers/functional` (`.keras`).
    var path: String
    /// 0 for the top model, 1 inside a nested model, ...
    var depth: Int
}

/// Reads each layer's weights, in the order Keras lists them (kernel before bias; gamma, beta,
/// moving mean, moving variance), from either file layout.
protocol KerasWeightStore {
    var topScope: WeightScope { get }
    /// The scope of a nested model `layer` of the model `parent` (whose scope is `scope`).
    func scope(ofNested layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> WeightScope
    /// The weights of `layer` of the model `parent`; `[]` when the file has none for it.
    func weights(of layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> [Tensor]
}

// MARK: - Legacy `.h5`

/// `model.save("x.h5")` of tf.keras 2 and Keras 3: `model_weights/<layer>` groups whose attribute
/// `weight_names` lists dataset paths relative to the group. A nested model has one group holding
/// all its layers' weights, trainable ones first, so they are picked by layer name.
struct LegacyH5WeightStore: KerasWeightStore {
    let file: HDF5File
    let topScope: WeightScope

    init(file: HDF5File) {
        self.file = file
        topScope = WeightScope(path: file.exists("/model_weights") ? "/model_weights" : "", depth: 0)
    }

    func scope(ofNested layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> WeightScope {
        scope.depth == 0 ? WeightScope(path: "\(scope.path)/\(layer.name)", depth: 1)
            : WeightScope(path: scope.path, depth: scope.depth + 1)
    }

    func weights(of layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> [Tensor] {
        let group = scope.depth == 0 ? "\(scope.path)/\(layer.name)" : scope.path
        guard let names = try file.stringsAttribute("weight_names", of: group) else { return [] }
        let selected = scope.depth == 0 ? names : names.filter { Self.layerName(of: $0) == layer.name }
        var tensors: [Tensor] = []
        for name in selected {
            tensors.append(try file.floatDataset("\(group)/\(name)"))
        }
        return tensors
    }

    /// `enc_fc/kernel:0` → `enc_fc`; `outer/enc_fc/kernel` → `enc_fc`.
    static func layerName(of weightName: String) -> String? {
        let parts = weightName.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : nil
    }
}

// MARK: - `.keras` archive weights

/// `model.weights.h5` of a `.keras` archive: `layers/<snake_case class name>[_k]/vars/<i>`, groups named
/// by class in the order of the model's layer list (without the InputLayer for Sequential). Keras 3.15
/// also stores the layer name as attribute `name` of each `vars` group; older archives are mapped by
/// walking the config the way Keras names them.
final class ArchiveWeightStore: KerasWeightStore {
    let file: HDF5File
    let topScope = WeightScope(path: "", depth: 0)
    private var groupsByName: [String: [String: String]] = [:]

    init(file: HDF5File) { self.file = file }

    func scope(ofNested layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> WeightScope {
        WeightScope(path: try group(of: layer, in: scope, parent: parent), depth: scope.depth + 1)
    }

    func weights(of layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> [Tensor] {
        let vars = try group(of: layer, in: scope, parent: parent) + "/vars"
        let indices = file.children(of: vars).compactMap { Int($0) }.sorted()
        guard indices == Array(0..<indices.count) else {
            throw file.fail("weights of layer '\(layer.name)' in '\(vars)' are not numbered 0..<\(indices.count)")
        }
        var tensors: [Tensor] = []
        for i in indices { tensors.append(try file.floatDataset("\(vars)/\(i)")) }
        return tensors
    }

    private func group(of layer: LayerSpec, in scope: WeightScope, parent: ModelSpec) throws(ImportError) -> String {
        if groupsByName[scope.path] == nil { groupsByName[scope.path] = try namedGroups(in: scope.path) }
        if let path = groupsByName[scope.path]?[layer.name] { return path }
        return "\(scope.path)/layers/\(Self.savedNames(of: parent)[layer.name] ?? layer.name)"
    }

    private func namedGroups(in path: String) throws(ImportError) -> [String: String] {
        var map: [String: String] = [:]
        for child in file.children(of: "\(path)/layers") {
            let group = "\(path)/layers/\(child)"
            if let name = try file.stringAttribute("name", of: "\(group)/vars") { map[name] = group }
        }
        return map
    }

    /// Keras' `saving_lib` names: snake_case of the class name, `_1`, `_2` ... for repeats.
    static func savedNames(of model: ModelSpec) -> [String: String] {
        var used: [String: Int] = [:]
        var names: [String: String] = [:]
        for layer in model.layers where !(model.isSequential && layer.className == "InputLayer") {
            let base = snakeCase(layer.className)
            if let n = used[base] {
                used[base] = n + 1
                names[layer.name] = "\(base)_\(n + 1)"
            } else {
                used[base] = 0
                names[layer.name] = base
            }
        }
        return names
    }

    /// Keras `naming.to_snake_case`: `Conv2D` → `conv2d`, `ReLU` → `re_lu`, `BatchNormalization` → `batch_normalization`.
    static func snakeCase(_ name: String) -> String {
        let chars = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        // Pass 1: "(.)([A-Z][a-z]+)" → "\1_\2".
        var first: [Character] = []
        for (i, c) in chars.enumerated() {
            if i > 0, c.isUppercase, i + 1 < chars.count, chars[i + 1].isLowercase { first.append("_") }
            first.append(c)
        }
        // Pass 2: "([a-z])([A-Z])" → "\1_\2".
        var second: [Character] = []
        for (i, c) in first.enumerated() {
            if i > 0, c.isUppercase, first[i - 1].isLowercase { second.append("_") }
            second.append(c)
        }
        return String(second).lowercased()
    }
}

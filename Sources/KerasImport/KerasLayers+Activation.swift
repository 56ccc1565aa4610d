import Foundation
import StrataCore

// MARK: - Activation functions (fused or as layers)

extension LayerEmitter {
    /// Applies the Keras activation named by a config entry (`"relu"`, or `{"config": "relu", ...}`);
    /// returns the activated value (`x` itself for `linear`).
    @discardableResult
    mutating func activate(_ x: String, _ entry: Any?) throws(ImportError) -> String {
        guard let name = Self.activationName(entry) else {
            if entry == nil { return x }
            throw fail("activation \(String(describing: entry)) is not a known function")
        }
        return activate(x, named: name)
    }

    static func activationName(_ entry: Any?) -> String? {
        if let s = entry as? String { return s }
        guard let object = JSONObject(entry) else { return nil }
        return object.string("config") ?? object.object("config")?.string("name") ?? object.string("class_name")
    }

    mutating func scalar(_ name: String, _ value: Float) -> String { constant(name, Tensor(shape: [], floats: [value])) }

    /// One of Keras' built-in activations; an unknown one becomes an unsupported node.
    mutating func activate(_ x: String, named name: String) -> String {
        switch name {
        case "linear": return x
        case "relu": return node("Relu", [x])
        case "relu6": return node("Clip", [x, scalar("zero", 0), scalar("six", 6)], tag: "relu6")
        case "sigmoid": return node("Sigmoid", [x])
        case "tanh": return node("Tanh", [x])
        case "softmax": return node("Softmax", [x], ["axis": .int(-1)])
        case "elu": return node("Elu", [x], ["alpha": .float(1)])
        case "selu": return node("Selu", [x])
        case "softplus": return node("Softplus", [x])
        case "softsign": return node("Softsign", [x])
        case "exponential": return node("Exp", [x])
        case "gelu": return gelu(x)
        case "swish", "silu": return node("Mul", [x, node("Sigmoid", [x])], tag: "swish")
        case "mish": return node("Mul", [x, node("Tanh", [node("Softplus", [x])])], tag: "mish")
        case "hard_swish", "hard_silu":
            return node("HardSwish", [x])
        case "hard_sigmoid":
            // tf.keras 2: clip(0.2·x + 0.5, 0, 1); Keras 3: relu6(x + 3) / 6.
            let alpha: Float = dialect == .keras2 ? 0.2 : 1.0 / 6.0
            return node("HardSigmoid", [x], ["alpha": .float(alpha), "beta": .float(0.5)])
        case "leaky_relu": return node("LeakyRelu", [x], ["alpha": .float(0.2)])
        default: return node(name, [x], tag: "unsupported", domain: KerasLayers.unsupportedDomain)
        }
    }

    /// Exact GELU, as Keras' default (`approximate=False`): 0.5·x·(1 + erf(x / √2)).
    private mutating func gelu(_ x: String) -> String {
        let scaled = node("Div", [x, scalar("sqrt2", Float(2.0.squareRoot()))], tag: "gelu_scaled")
        let erf = node("Erf", [scaled])
        let plusOne = node("Add", [erf, scalar("one", 1)], tag: "gelu_erf1")
        let product = node("Mul", [x, plusOne], tag: "gelu_x")
        return node("Mul", [product, scalar("half", 0.5)], tag: "gelu")
    }
}

// MARK: - Activation layers

extension KerasLayers {
    static func activationLayer(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let y = try e.activate(e.input, e.config["activation"] ?? "linear")
        if y == e.input { e.node("Identity", [y]) }
        return e.inputShape
    }

    /// Keras `relu(x, negative_slope, max_value, threshold)`, computed the way its backend does:
    /// x·[x > threshold] clipped to [0, max_value], minus negative_slope·relu(threshold − x).
    static func relu(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let maxValue = e.config.double("max_value").map { Float($0) }
        let slope = e.config.float("negative_slope", default: 0)
        let threshold = e.config.float("threshold", default: 0)
        if slope != 0, maxValue == nil, threshold == 0 {
            e.node("LeakyRelu", [e.input], ["alpha": .float(slope)])
            return e.inputShape
        }
        var y: String
        if threshold != 0 {
            let above = e.node("Greater", [e.input, e.scalar("threshold", threshold)], tag: "above")
            y = e.node("Where", [above, e.input, e.scalar("zero", 0)], tag: "thresholded")
        } else {
            y = e.node("Relu", [e.input])
        }
        if let maxValue {
            y = e.node("Clip", [y, e.scalar("zero", 0), e.scalar("max_value", maxValue)], tag: "clipped")
        }
        if slope != 0 {
            let below = e.node("Relu", [e.node("Sub", [e.scalar("threshold", threshold), e.input], tag: "below")], tag: "below_relu")
            y = e.node("Sub", [y, e.node("Mul", [below, e.scalar("negative_slope", slope)], tag: "negative")], tag: "relu")
        }
        return e.inputShape
    }

    /// tf.keras 2 calls the slope `alpha`, Keras 3 `negative_slope`; both default to 0.3.
    static func leakyRelu(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let slope = e.config.double("negative_slope") ?? e.config.double("alpha") ?? 0.3
        e.node("LeakyRelu", [e.input], ["alpha": .float(Float(slope))])
        return e.inputShape
    }

    /// PReLU: `alpha` has the input's shape without the batch, 1 along `shared_axes`.
    static func prelu(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let shape = e.inputShape else { throw e.fail("input shape unknown") }
        let shared = Set((e.config.optionalInts("shared_axes") ?? []).compactMap { $0 })
        let expected = shape.indices.dropFirst().map { shared.contains($0) ? 1 : shape[$0].intValue }
        let alpha = try e.weight("alpha", shape: expected)
        e.node("PRelu", [e.input, e.constant("alpha", alpha)])
        return e.inputShape
    }

    static func elu(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        e.node("Elu", [e.input], ["alpha": .float(e.config.float("alpha", default: 1))])
        return e.inputShape
    }

    static func softmax(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let axis = e.config.int("axis") ?? -1
        if let list = e.config.optionalInts("axis"), list.count > 1 { throw e.fail("softmax over several axes") }
        e.node("Softmax", [e.input], ["axis": .int(axis)])
        return e.inputShape
    }
}

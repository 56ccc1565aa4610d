import Foundation
import StrataCore

/// Activation functions (ONNX semantics and attribute defaults), float32 (other float types converted).
enum ActivationKernels {
    static let all: [String: Kernel] = [
        "Relu": { node, inputs, _ in [try relu(node, inputs)] },
        "LeakyRelu": { node, inputs, _ in
            let alpha = node.float("alpha", default: 0.01)
            return [try FloatMap.apply(node, inputs) { $0 < 0 ? $0 * alpha : $0 }]
        },
        "Sigmoid": { node, inputs, _ in [try FloatMap.apply(node, inputs) { sigmoid($0) }] },
        "Tanh": { node, inputs, _ in [try FloatMap.apply(node, inputs) { tanhf($0) }] },
        "Elu": { node, inputs, _ in
            let alpha = node.float("alpha", default: 1)
            return [try FloatMap.apply(node, inputs) { $0 < 0 ? alpha * (expf($0) - 1) : $0 }]
        },
        "Celu": { node, inputs, _ in
            let alpha = node.float("alpha", default: 1)
            return [try FloatMap.apply(node, inputs) { max(0, $0) + min(0, alpha * (expf($0 / alpha) - 1)) }]
        },
        "Selu": { node, inputs, _ in
            let alpha = node.float("alpha", default: 1.67326319217681884765625)
            let gamma = node.float("gamma", default: 1.05070102214813232421875)
            return [try FloatMap.apply(node, inputs) { $0 <= 0 ? gamma * (alpha * expf($0) - alpha) : gamma * $0 }]
        },
        "HardSigmoid": { node, inputs, _ in
            let alpha = node.float("alpha", default: 0.2), beta = node.float("beta", default: 0.5)
            return [try FloatMap.apply(node, inputs) { max(0, min(1, alpha * $0 + beta)) }]
        },
        "HardSwish": { node, inputs, _ in [try FloatMap.apply(node, inputs) { $0 * max(0, min(1, $0 / 6 + 0.5)) }] },
        "ThresholdedRelu": { node, inputs, _ in
            let alpha = node.float("alpha", default: 1)
            return [try FloatMap.apply(node, inputs) { $0 > alpha ? $0 : 0 }]
        },
        "Gelu": { node, inputs, _ in [try gelu(node, inputs)] },
        "Softplus": { node, inputs, _ in [try FloatMap.apply(node, inputs) { softplus($0) }] },
        "Softsign": { node, inputs, _ in [try FloatMap.apply(node, inputs) { $0 / (1 + abs($0)) }] },
        "Mish": { node, inputs, _ in [try FloatMap.apply(node, inputs) { $0 * tanhf(softplus($0)) }] },
        "PRelu": { node, inputs, _ in [try prelu(node, inputs)] },
        "Clip": { node, inputs, context in [try clip(node, inputs, context)] },
    ]

    /// Relu; float32 through the vectorised loop.
    static func relu(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        if let x = inputs.first ?? nil, x.dtype == .float32 {
            return FloatMap.vectorized(x) { FloatSIMD.relu($0, $1, count: $2) }
        }
        return try FloatMap.apply(node, inputs) { $0 > 0 ? $0 : ($0 != $0 ? $0 : 0) }
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + expf(-x)) : { let e = expf(x); return e / (1 + e) }()
    }

    @inline(__always) static func softplus(_ x: Float) -> Float {
        x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x))
    }

    /// Gelu (opset 20): `approximate` "none" uses erf, "tanh" the tanh formula.
    static func gelu(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        switch node.string("approximate", default: "none") {
        case "none":
            return try FloatMap.apply(node, inputs) { 0.5 * $0 * (1 + erff($0 * 0.70710678118654752)) }
        case "tanh":
            let c: Float = 0.79788456080286536  // sqrt(2 / pi)
            return try FloatMap.apply(node, inputs) { x in 0.5 * x * (1 + tanhf(c * (x + 0.044715 * x * x * x))) }
        case let other:
            throw node.invalid("unknown approximate '\(other)'")
        }
    }

    /// PRelu: `slope` broadcasts to `X` (unidirectionally).
    static func prelu(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let (x, dtype) = try FloatMap.input(node, inputs, 0)
        let (slope, _) = try FloatMap.input(node, inputs, 1)
        let y = try Broadcast.binary(x, slope, node, Leaky())
        guard y.shape == x.shape else { throw node.invalid("slope \(slope.shape) does not broadcast to X \(x.shape)") }
        return y.converted(to: dtype)
    }

    struct Leaky: BinaryFunction {
        @inline(__always) func callAsFunction(_ v: Float, _ s: Float) -> Float { v < 0 ? v * s : v }
    }

    /// Clip: bounds from attributes `min`/`max` before opset 11, from optional inputs 1 and 2 after.
    static func clip(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        guard let x = inputs.first ?? nil else { throw node.invalid("input is missing") }
        let (low, high) = try clipBounds(node, inputs, context)
        guard let y = try Clipping(x: x, low: low?.converted(to: x.dtype), high: high?.converted(to: x.dtype)).run(x.dtype) else {
            throw node.invalid("Clip does not take bool inputs")
        }
        return y
    }

    /// Clip's bounds (nil where absent), one-element tensors: from attributes before opset 11, from inputs 1
    /// and 2 after.
    static func clipBounds(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> (Tensor?, Tensor?) {
        var low: Tensor?, high: Tensor?
        if context.opset < 11 {
            low = node.attributes["min"] != nil ? Tensor(scalar: node.float("min", default: 0)) : nil
            high = node.attributes["max"] != nil ? Tensor(scalar: node.float("max", default: 0)) : nil
        } else {
            low = inputs.count > 1 ? inputs[1] : nil
            high = inputs.count > 2 ? inputs[2] : nil
        }
        for bound in [low, high] {
            if let bound, bound.count != 1 { throw node.invalid("min and max must be scalars, got \(bound.shape)") }
        }
        return (low, high)
    }

    struct Clipping: ArithmeticDispatch {
        let x: Tensor, low: Tensor?, high: Tensor?

        func callAsFunction<T: ArithmeticScalar>(_ type: T.Type) throws -> Tensor {
            let lo = low?.scalars(as: T.self)[0], hi = high?.scalars(as: T.self)[0]
            if T.self == Float.self {
                let (l, h) = (lo.map { $0 as! Float }, hi.map { $0 as! Float })
                return FloatMap.vectorized(x) { FloatSIMD.clip($0, $1, count: $2, low: l, high: h) }
            }
            var out = Tensor.uninitialized(dtype: x.dtype, shape: x.shape)
            x.withUnsafeBufferPointer(of: T.self) { s in
                out.withUnsafeMutableBufferPointer(of: T.self) { d in
                    for i in 0..<s.count {
                        var v = s[i]
                        if let lo, v < lo { v = lo }
                        if let hi, v > hi { v = hi }
                        d[i] = v
                    }
                }
            }
            return out
        }
    }
}

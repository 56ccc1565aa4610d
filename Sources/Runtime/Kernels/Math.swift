import Foundation
import StrataCore

/// Unary math: float functions (float32, other float types converted) and Abs, Neg, Sign on every numeric type.
enum MathKernels {
    static let all: [String: Kernel] = [
        "Sqrt": { node, inputs, _ in [try FloatMap.apply(node, inputs) { sqrtf($0) }] },
        "Exp": { node, inputs, _ in [try FloatMap.apply(node, inputs) { expf($0) }] },
        "Log": { node, inputs, _ in [try FloatMap.apply(node, inputs) { logf($0) }] },
        "Reciprocal": { node, inputs, _ in [try FloatMap.apply(node, inputs) { 1 / $0 }] },
        "Floor": { node, inputs, _ in [try FloatMap.apply(node, inputs) { $0.rounded(.down) }] },
        "Ceil": { node, inputs, _ in [try FloatMap.apply(node, inputs) { $0.rounded(.up) }] },
        "Round": { node, inputs, _ in [try FloatMap.apply(node, inputs) { $0.rounded(.toNearestOrEven) }] },
        "Erf": { node, inputs, _ in [try FloatMap.apply(node, inputs) { erff($0) }] },
        "Sin": { node, inputs, _ in [try FloatMap.apply(node, inputs) { sinf($0) }] },
        "Cos": { node, inputs, _ in [try FloatMap.apply(node, inputs) { cosf($0) }] },
        "Tan": { node, inputs, _ in [try FloatMap.apply(node, inputs) { tanf($0) }] },
        "Asin": { node, inputs, _ in [try FloatMap.apply(node, inputs) { asinf($0) }] },
        "Acos": { node, inputs, _ in [try FloatMap.apply(node, inputs) { acosf($0) }] },
        "Atan": { node, inputs, _ in [try FloatMap.apply(node, inputs) { atanf($0) }] },
        "Sinh": { node, inputs, _ in [try FloatMap.apply(node, inputs) { sinhf($0) }] },
        "Cosh": { node, inputs, _ in [try FloatMap.apply(node, inputs) { coshf($0) }] },
        "Asinh": { node, inputs, _ in [try FloatMap.apply(node, inputs) { asinhf($0) }] },
        "Acosh": { node, inputs, _ in [try FloatMap.apply(node, inputs) { acoshf($0) }] },
        "Atanh": { node, inputs, _ in [try FloatMap.apply(node, inputs) { atanhf($0) }] },
        "Abs": signed(.abs), "Neg": signed(.neg), "Sign": signed(.sign),
        "IsNaN": { node, inputs, _ in [try predicate(node, inputs) { $0.isNaN }] },
        "IsInf": { node, inputs, _ in
            let positive = node.int("detect_positive", default: 1) != 0
            let negative = node.int("detect_negative", default: 1) != 0
            return [try predicate(node, inputs) { $0.isInfinite && ($0 > 0 ? positive : negative) }]
        },
    ]

    enum SignedOperation { case abs, neg, sign }

    static func signed(_ op: SignedOperation) -> Kernel {
        { node, inputs, _ in
            guard let x = inputs.first ?? nil else { throw node.invalid("input is missing") }
            guard let y = try SignedMap(op: op, x: x).run(x.dtype) else { throw node.invalid("input is bool") }
            return [y]
        }
    }

    struct SignedMap: ArithmeticDispatch {
        let op: SignedOperation, x: Tensor

        func callAsFunction<T: ArithmeticScalar>(_ type: T.Type) throws -> Tensor {
            var out = Tensor(dtype: x.dtype, shape: x.shape)
            let zero = T.zero
            x.withUnsafeBufferPointer(of: T.self) { s in
                out.withUnsafeMutableBufferPointer(of: T.self) { d in
                    for i in 0..<s.count {
                        let v = s[i]
                        switch op {
                        case .abs: d[i] = v < zero ? T.sub(zero, v) : v
                        case .neg: d[i] = T.sub(zero, v)
                        case .sign: d[i] = v > zero ? T(fromDouble: 1) : (v < zero ? T(fromDouble: -1) : v)
                        }
                    }
                }
            }
            return out
        }
    }

    /// A bool tensor of `f` over a float input.
    static func predicate(_ node: Node, _ inputs: [Tensor?], _ f: (Float) -> Bool) throws -> Tensor {
        let (x, _) = try FloatMap.input(node, inputs)
        var out = Tensor(dtype: .bool, shape: x.shape)
        x.withFloats { s in out.withUnsafeMutableBufferPointer(of: Bool.self) { d in for i in 0..<s.count { d[i] = f(s[i]) } } }
        return out
    }
}

import StrataCore

/// Comparisons (any numeric type or bool → bool), boolean logic and Where, all with NumPy broadcasting.
enum LogicKernels {
    static let all: [String: Kernel] = [
        "Equal": compare(.equal), "Greater": compare(.greater), "Less": compare(.less),
        "GreaterOrEqual": compare(.greaterOrEqual), "LessOrEqual": compare(.lessOrEqual),
        "And": logical { $0 && $1 }, "Or": logical { $0 || $1 }, "Xor": logical { $0 != $1 },
        "Not": { node, inputs, _ in
            guard let x = inputs.first ?? nil, x.dtype == .bool else { throw node.invalid("expects one bool input") }
            var out = Tensor(dtype: .bool, shape: x.shape)
            x.withUnsafeBufferPointer(of: Bool.self) { s in
                out.withUnsafeMutableBufferPointer(of: Bool.self) { d in for i in 0..<s.count { d[i] = !s[i] } }
            }
            return [out]
        },
        "Where": { node, inputs, _ in [try select(node, inputs)] },
    ]

    enum Comparison { case equal, greater, less, greaterOrEqual, lessOrEqual }

    static func compare(_ op: Comparison) -> Kernel {
        { node, inputs, _ in
            guard inputs.count >= 2, var a = inputs[0], var b = inputs[1] else { throw node.invalid("needs two inputs") }
            guard a.dtype == b.dtype else { throw node.invalid("inputs are \(a.dtype) and \(b.dtype)") }
            if a.dtype == .bool {
                a = Tensor(dtype: .uint8, shape: a.shape, storage: a.storage)
                b = Tensor(dtype: .uint8, shape: b.shape, storage: b.storage)
            }
            return [try Comparing(op: op, a: a, b: b, node: node).run(a.dtype)!]
        }
    }

    struct Comparing: ArithmeticDispatch {
        let op: Comparison, a: Tensor, b: Tensor, node: Node

        func callAsFunction<T: ArithmeticScalar>(_ type: T.Type) throws -> Tensor {
            try Broadcast.binary(a, b, node, Compare<T>(op: op))
        }
    }

    struct Compare<T: ArithmeticScalar>: BinaryFunction {
        let op: Comparison
        func callAsFunction(_ x: T, _ y: T) -> Bool {
            switch op {
            case .equal: x == y
            case .greater: x > y
            case .less: x < y
            case .greaterOrEqual: x >= y
            case .lessOrEqual: x <= y
            }
        }
    }

    struct Logical: BinaryFunction {
        let f: @Sendable (Bool, Bool) -> Bool
        func callAsFunction(_ a: Bool, _ b: Bool) -> Bool { f(a, b) }
    }

    static func logical(_ f: @escaping @Sendable (Bool, Bool) -> Bool) -> Kernel {
        { node, inputs, _ in
            guard inputs.count >= 2, let a = inputs[0], let b = inputs[1], a.dtype == .bool, b.dtype == .bool else {
                throw node.invalid("expects two bool inputs")
            }
            return [try Broadcast.binary(a, b, node, Logical(f: f))]
        }
    }

    /// Where(condition, X, Y): X where the condition holds, else Y; all three broadcast together.
    static func select(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        guard inputs.count == 3, let c = inputs[0], let x = inputs[1], let y = inputs[2] else {
            throw node.invalid("needs condition, X and Y")
        }
        guard c.dtype == .bool, x.dtype == y.dtype else {
            throw node.invalid("condition is \(c.dtype), X \(x.dtype), Y \(y.dtype)")
        }
        guard let shape = Broadcast.shape([c.shape, x.shape, y.shape]) else {
            throw node.invalid("shapes \(c.shape), \(x.shape), \(y.shape) do not broadcast")
        }
        let cond = Broadcast.expand(c, to: shape)
        var out = Broadcast.expand(y, to: shape)
        let xs = Broadcast.expand(x, to: shape)
        let size = x.dtype.byteSize
        cond.withUnsafeBufferPointer(of: Bool.self) { cp in
            xs.withUnsafeBytes { xb in
                out.withUnsafeMutableBytes { ob in
                    for i in 0..<cp.count where cp[i] {
                        (ob.baseAddress! + i * size).copyMemory(from: xb.baseAddress! + i * size, byteCount: size)
                    }
                }
            }
        }
        return out
    }
}

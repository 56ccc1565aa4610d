import StrataCore

/// Arithmetic with NumPy broadcasting, on every numeric element type: Add, Sub, Mul, Div, Pow, Mod and the
/// variadic Sum, Min, Max, Mean.
enum ElementwiseKernels {
    static let all: [String: Kernel] = [
        "Add": binary(.add), "Sub": binary(.sub), "Mul": binary(.mul), "Div": binary(.div),
        "Pow": binary(.pow), "Mod": binary(.mod), "Min": variadic(.min), "Max": variadic(.max),
        "Sum": variadic(.add), "Mean": { node, inputs, _ in [try mean(node, inputs)] },
    ]

    enum Operation { case add, sub, mul, div, pow, mod, min, max }

    static func binary(_ op: Operation) -> Kernel {
        { node, inputs, _ in
            let (a, b) = try operands(node, inputs)
            return [try apply(op, a, b, node)]
        }
    }

    /// Folds the inputs left to right with `op` (each step broadcasts).
    static func variadic(_ op: Operation) -> Kernel {
        { node, inputs, _ in
            let present = inputs.compactMap { $0 }
            guard var acc = present.first else { throw node.invalid("needs at least one input") }
            for next in present.dropFirst() { acc = try apply(op, acc, next, node) }
            return [acc]
        }
    }

    static func mean(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let present = inputs.compactMap { $0 }
        guard let sum = try variadic(.add)(node, inputs, KernelContext(opset: 13)).first else {
            throw node.invalid("needs at least one input")
        }
        let divisor = Tensor(scalar: Float(present.count)).converted(to: sum.dtype)
        return try apply(.div, sum, divisor, node)
    }

    /// Inputs 0 and 1, both present. Pow may mix types: its exponent is converted to the base's type.
    static func operands(_ node: Node, _ inputs: [Tensor?]) throws -> (Tensor, Tensor) {
        guard inputs.count >= 2, let a = inputs[0], let b = inputs[1] else { throw node.invalid("needs two inputs") }
        if a.dtype != b.dtype {
            guard node.opType == "Pow" else { throw node.invalid("inputs are \(a.dtype) and \(b.dtype)") }
            return (a, b.converted(to: a.dtype))
        }
        return (a, b)
    }

    /// `op(a, b)` with broadcasting; `a` and `b` have the same element type.
    static func apply(_ op: Operation, _ a: Tensor, _ b: Tensor, _ node: Node) throws -> Tensor {
        guard a.dtype == b.dtype else { throw node.invalid("inputs are \(a.dtype) and \(b.dtype)") }
        let fmod = node.int("fmod", default: 0) != 0
        guard let out = try Arithmetic(op: op, a: a, b: b, node: node, fmod: fmod).run(a.dtype) else {
            throw node.invalid("\(node.opType) does not take bool inputs")
        }
        return out
    }

    struct Arithmetic: ArithmeticDispatch {
        let op: Operation, a: Tensor, b: Tensor, node: Node, fmod: Bool

        func callAsFunction<T: ArithmeticScalar>(_ type: T.Type) throws -> Tensor {
            switch op {
            case .add: try Broadcast.binary(a, b, node, Add<T>())
            case .sub: try Broadcast.binary(a, b, node, Sub<T>())
            case .mul: try Broadcast.binary(a, b, node, Mul<T>())
            case .div: try Broadcast.binary(a, b, node, Div<T>())
            case .pow: try Broadcast.binary(a, b, node, Pow<T>())
            case .mod: try Broadcast.binary(a, b, node, Mod<T>(fmod: fmod))
            case .min: try Broadcast.binary(a, b, node, Minimum<T>())
            case .max: try Broadcast.binary(a, b, node, Maximum<T>())
            }
        }

        /// NaN wins, as in NumPy's `minimum` and onnxruntime.
        @inline(__always) static func minimum<T: ArithmeticScalar>(_ x: T, _ y: T) -> T {
            if x != x { return x }
            return y < x || y != y ? y : x
        }

        @inline(__always) static func maximum<T: ArithmeticScalar>(_ x: T, _ y: T) -> T {
            if x != x { return x }
            return y > x || y != y ? y : x
        }
    }

    struct Add<T: ArithmeticScalar>: BinaryFunction {
        @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T.add(a, b) }
    }

    struct Sub<T: ArithmeticScalar>: BinaryFunction {
        @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T.sub(a, b) }
    }

    struct Mul<T: ArithmeticScalar>: BinaryFunction {
        @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T.mul(a, b) }
    }

    struct Div<T: ArithmeticScalar>: BinaryFunction {
        @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T.div(a, b) }
    }

    struct Pow<T: ArithmeticScalar>: BinaryFunction {
        func callAsFunction(_ a: T, _ b: T) -> T { T.pow(a, b) }
    }

    struct Mod<T: ArithmeticScalar>: BinaryFunction {
        let fmod: Bool
        func callAsFunction(_ a: T, _ b: T) -> T { T.mod(a, b, fmod: fmod) }
    }

    struct Minimum<T: ArithmeticScalar>: BinaryFunction {
        @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { Arithmetic.minimum(a, b) }
    }

    struct Maximum<T: ArithmeticScalar>: BinaryFunction {
        @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { Arithmetic.maximum(a, b) }
    }
}

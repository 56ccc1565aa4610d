import StrataCore

/// Elementwise float32 maps for the unary math and activation kernels. float64 and float16 inputs are
/// computed in float32 and converted back, so these kernels accept every floating type.
enum FloatMap {
    /// Input 0 as float32, with the type to convert the result back to.
    static func input(_ node: Node, _ inputs: [Tensor?], _ index: Int = 0) throws -> (Tensor, DType) {
        guard index < inputs.count, let x = inputs[index] else { throw node.invalid("input \(index) is missing") }
        guard x.dtype.isFloatingPoint else { throw node.invalid("input is \(x.dtype), expected a float type") }
        return (x.converted(to: .float32), x.dtype)
    }

    /// `f` applied to every element of input 0.
    @inline(__always)
    static func apply(_ node: Node, _ inputs: [Tensor?], _ f: (Float) -> Float) throws -> Tensor {
        let (x, dtype) = try input(node, inputs)
        return map(x, f).converted(to: dtype)
    }

    /// `f` applied to every element of the float32 tensor `x`.
    @inline(__always)
    static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        var out = Tensor.uninitialized(shape: x.shape)
        x.withFloats { s in
            out.withMutableFloats { d in
                // One thread on purpose: inside this inlined loop `f` is inlined too; handing the loop to
                // ParallelFor would turn it into a call per element, slower than the second core gains.
                let src = s.baseAddress!, dst = d.baseAddress!
                for i in 0..<s.count { dst[i] = f(src[i]) }
            }
        }
        return out
    }

    /// A float32 tensor shaped like `x` whose elements `body(src, dst, count)` writes, a range at a time (two
    /// threads on large tensors).
    @inline(__always)
    static func vectorized(_ x: Tensor,
                           _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        var out = Tensor.uninitialized(shape: x.shape)
        x.withFloats { s in
            out.withMutableFloats { d in
                let src = s.baseAddress!, dst = d.baseAddress!
                FloatSIMD.split(s.count) { range in body(src + range.lowerBound, dst + range.lowerBound, range.count) }
            }
        }
        return out
    }
}

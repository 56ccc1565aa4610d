import StrataCore

/// An elementwise function of two values. Kernels pass these as generic types rather than closures, so the
/// compiler specializes and inlines them into the loops below (a closure would cost a call per element).
protocol BinaryFunction {
    associatedtype A: TensorScalar
    associatedtype B: TensorScalar
    associatedtype R: TensorScalar
    func callAsFunction(_ a: A, _ b: B) -> R
}

extension Broadcast {
    /// `f(a, b)` elementwise with NumPy broadcasting. Same-shape and scalar operands run one flat loop; other
    /// shapes run over collapsed dimensions with a flat inner loop, so no element does index arithmetic.
    static func binary<F: BinaryFunction>(_ a: Tensor, _ b: Tensor, _ node: Node, _ f: F) throws -> Tensor {
        guard let shape = Broadcast.shape([a.shape, b.shape]) else {
            throw node.invalid("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        guard a.dtype == F.A.dtype, b.dtype == F.B.dtype else {
            throw node.invalid("inputs are \(a.dtype) and \(b.dtype), expected \(F.A.dtype) and \(F.B.dtype)")
        }
        var out = Tensor.uninitialized(dtype: F.R.dtype, shape: shape)
        let n = out.count
        guard n > 0 else { return out }
        a.withUnsafeBufferPointer(of: F.A.self) { pa in
            b.withUnsafeBufferPointer(of: F.B.self) { pb in
                out.withUnsafeMutableBufferPointer(of: F.R.self) { po in
                    let x = pa.baseAddress!, y = pb.baseAddress!, z = po.baseAddress!
                    if pa.count == n && pb.count == n {
                        FloatSIMD.split(n) { r in for i in r { z[i] = f(x[i], y[i]) } }
                    } else if pa.count == n && pb.count == 1 {
                        let s = y[0]
                        FloatSIMD.split(n) { r in for i in r { z[i] = f(x[i], s) } }
                    } else if pa.count == 1 && pb.count == n {
                        let s = x[0]
                        FloatSIMD.split(n) { r in for i in r { z[i] = f(s, y[i]) } }
                    } else {
                        stridedBinary(x, a.shape, y, b.shape, z, shape, f)
                    }
                }
            }
        }
        return out
    }

    private static func stridedBinary<F: BinaryFunction>(
        _ x: UnsafePointer<F.A>, _ xShape: [Int], _ y: UnsafePointer<F.B>, _ yShape: [Int],
        _ z: UnsafeMutablePointer<F.R>, _ shape: [Int], _ f: F
    ) {
        let (runShape, runStrides) = collapse(shape, [strides(xShape, to: shape), strides(yShape, to: shape), strides(shape)])
        let sx = runStrides[0].last!, sy = runStrides[1].last!
        forEachRun(runShape, runStrides) { o, count in
            let xp = x + o[0], yp = y + o[1], zp = z + o[2]
            if sx == 1 && sy == 0 {
                let s = yp[0]
                for i in 0..<count { zp[i] = f(xp[i], s) }
            } else if sx == 0 && sy == 1 {
                let s = xp[0]
                for i in 0..<count { zp[i] = f(s, yp[i]) }
            } else if sx == 1 && sy == 1 {
                for i in 0..<count { zp[i] = f(xp[i], yp[i]) }
            } else {
                for i in 0..<count { zp[i] = f(xp[i * sx], yp[i * sy]) }
            }
        }
    }
}

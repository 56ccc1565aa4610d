import StrataCore

/// MatMul with NumPy `matmul` semantics: batched, batch dimensions broadcast, 1-D operands promoted and the
/// added dimension removed from the result.
enum MatMul {
    static func run(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let a = try FloatArgs.required(node, inputs, 0, "A")
        let b = try FloatArgs.required(node, inputs, 1, "B")
        guard a.rank >= 1, b.rank >= 1 else { throw node.invalid("A \(a.shape) and B \(b.shape) must not be scalars") }
        let aShape = a.rank == 1 ? [1] + a.shape : a.shape
        let bShape = b.rank == 1 ? b.shape + [1] : b.shape
        let (m, k) = (aShape[aShape.count - 2], aShape[aShape.count - 1])
        let (kb, n) = (bShape[bShape.count - 2], bShape[bShape.count - 1])
        guard k == kb else { throw node.invalid("A \(a.shape) and B \(b.shape) do not multiply") }
        let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
        guard let batch = broadcast(aBatch, bBatch) else {
            throw node.invalid("batch dimensions of A \(a.shape) and B \(b.shape) do not broadcast")
        }
        var outShape = batch + [m, n]
        if a.rank == 1 { outShape.remove(at: outShape.count - 2) }
        if b.rank == 1 { outShape.removeLast() }
        var y = Tensor.uninitialized(dtype: .float32, shape: outShape)
        let aOffsets = offsets(of: aBatch, in: batch, matrix: m * k)
        let bOffsets = offsets(of: bBatch, in: batch, matrix: k * n)
        a.withFloats { ap in
            b.withFloats { bp in
                y.withMutableFloats { yp in
                    let (pa, pb, py) = (ap.baseAddress!, bp.baseAddress!, yp.baseAddress!)
                    // A stack of A matrices times one shared B is a single taller GEMM.
                    if bBatch.reduce(1, *) == 1, aBatch == batch {
                        BLAS.sgemm(m: m * aOffsets.count, n: n, k: k, a: pa, lda: k, b: pb, ldb: n, c: py, ldc: n)
                        return
                    }
                    for i in aOffsets.indices {
                        BLAS.sgemm(m: m, n: n, k: k, a: pa + aOffsets[i], lda: k, b: pb + bOffsets[i], ldb: n,
                                   c: py + i * m * n, ldc: n)
                    }
                }
            }
        }
        return y
    }

    /// NumPy broadcast of two shapes, `nil` if they do not broadcast.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        return out
    }

    /// For each matrix of the broadcast batch `batch` (row-major), the element offset of the operand's matrix.
    static func offsets(of shape: [Int], in batch: [Int], matrix: Int) -> [Int] {
        let padded = Array(repeating: 1, count: batch.count - shape.count) + shape
        var strides = [Int](repeating: 0, count: batch.count)
        var stride = matrix
        for axis in padded.indices.reversed() {
            strides[axis] = padded[axis] == 1 ? 0 : stride
            stride *= padded[axis]
        }
        let total = batch.reduce(1, *)
        var result = [Int](repeating: 0, count: total)
        var index = [Int](repeating: 0, count: batch.count)
        for i in 0..<total {
            result[i] = zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }
            var axis = batch.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < batch[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

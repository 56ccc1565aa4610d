import StrataCore

/// Gemm and MatMul (ONNX semantics), float32, through BLAS sgemm.
enum GemmKernels {
    static let all: [String: Kernel] = [
        "Gemm": { node, inputs, _ in [try gemm(node, inputs)] },
        "MatMul": { node, inputs, _ in [try MatMul.run(node, inputs)] },
    ]

    /// Gemm: `Y = alpha · A' · B' + beta · C`, `A'` `[M, K]` (`A` transposed when `transA`), `B'` `[K, N]`,
    /// optional `C` broadcastable to `[M, N]`.
    static func gemm(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let a = try FloatArgs.required(node, inputs, 0, "A")
        let b = try FloatArgs.required(node, inputs, 1, "B")
        let c = try FloatArgs.optional(node, inputs, 2, "C")
        try FloatArgs.expectRank(node, a, 2...2, "A")
        try FloatArgs.expectRank(node, b, 2...2, "B")
        let transA = node.int("transA", default: 0) != 0
        let transB = node.int("transB", default: 0) != 0
        let alpha = node.float("alpha", default: 1)
        let beta = node.float("beta", default: 1)
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else { throw node.invalid("A \(a.shape) and B \(b.shape) do not multiply") }
        var y = Tensor.uninitialized(dtype: .float32, shape: [m, n])
        let useC = c != nil && beta != 0
        if let c, useC { try fill(&y, broadcasting: c, node) }
        a.withFloats { ap in
            b.withFloats { bp in
                y.withMutableFloats { yp in
                    BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                               a: ap.baseAddress!, lda: a.shape[1], b: bp.baseAddress!, ldb: b.shape[1],
                               beta: useC ? beta : 0, c: yp.baseAddress!, ldc: n)
                }
            }
        }
        return y
    }

    /// Copies `c` (rank ≤ 2, unidirectionally broadcastable) into every row and column of `y` `[M, N]`.
    private static func fill(_ y: inout Tensor, broadcasting c: Tensor, _ node: Node) throws {
        let (m, n) = (y.shape[0], y.shape[1])
        let shape = Array(repeating: 1, count: max(0, 2 - c.rank)) + c.shape
        guard shape.count == 2, shape[0] == 1 || shape[0] == m, shape[1] == 1 || shape[1] == n else {
            throw node.invalid("C \(c.shape) does not broadcast to [\(m), \(n)]")
        }
        let rowStride = shape[0] == 1 ? 0 : shape[1]
        let colStride = shape[1] == 1 ? 0 : 1
        c.withFloats { cs in
            y.withMutableFloats { ys in
                for i in 0..<m {
                    for j in 0..<n { ys[i * n + j] = cs[i * rowStride + j * colStride] }
                }
            }
        }
    }
}

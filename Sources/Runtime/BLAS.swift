import CBLAS
import AVX2Kernels
import AVX512Kernels

/// The BLAS calls the kernels make, row-major. Every call goes through here so that OpenBLAS's kernels are
/// chosen (`OpenBLASCore.selectFastKernels()`) before the first one.
///
/// OpenBLAS runs single-threaded and Strata splits large products over its own threads: OpenBLAS's spinning
/// worker threads cost more than they give on the small convolutions of small models, and stall badly when the
/// machine is busy.
enum BLAS {
    /// Multiply-adds below which a product stays on one thread: about 30 µs of one core's work. Waking the second
    /// core costs tens of µs on a virtual machine: at 800k, resnet_small's 1.8M-MAC convs were split and the model
    /// ran in 0.47 ms; kept on one thread, 0.34 ms.
    static let parallelThreshold = 2_000_000

    /// `C = alpha · op(A) · op(B) + beta · C`, with `op(A)` m×k, `op(B)` k×n and `C` m×n, all row-major; split
    /// over the cores when large, unless `parallel` is false (a caller that already runs on several threads).
    static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
    ) {
        guard m > 0, n > 0 else { return }
        ready()
        guard k > 0 else {
            // BLAS leaves C untouched when k == 0 only if beta == 1; spell the definition out (beta 0 ignores C,
            // which may be uninitialised).
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
            return
        }
        if m == 1 {
            rowTimesMatrix(transA: transA, transB: transB, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                           beta: beta, c: c)
            return
        }
        let parts = parallel && m * n * k >= parallelThreshold ? ParallelFor.width : 1
        if parts > 1, n >= parts * 64 || (n >= parts * 16 && m < parts * 16) {
            // Column blocks of B and C, rounded to 16 so each block keeps whole SIMD tiles.
            let block = (n / parts + 15) / 16 * 16
            ParallelFor.run(parts, cost: .max / parts) { range in
                for part in range where part * block < n {
                    let j = part * block
                    call(transA, transB, m, min(block, n - j), k, alpha, a, lda, transB ? b + j * ldb : b + j, ldb, beta, c + j, ldc)
                }
            }
        } else if parts > 1, m >= parts * 16 {
            // Row blocks (a short, wide product: the last stages of a CNN, 7×7 planes), rounded to 16 rows.
            let block = (m / parts + 15) / 16 * 16
            ParallelFor.run(parts, cost: .max / parts) { range in
                for part in range where part * block < m {
                    let i = part * block
                    call(transA, transB, min(block, m - i), n, k, alpha, transA ? a + i : a + i * lda, lda, b, ldb, beta, c + i * ldc, ldc)
                }
            }
        } else {
            call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }

    /// One row times a matrix with the same summation order for every output column, so columns that are
    /// equal in exact arithmetic stay bitwise equal (OpenBLAS's edge kernels sum the last columns in another
    /// order; a classifier whose logits are all equal must still give a uniform softmax, as onnxruntime does).
    private static func rowTimesMatrix(transA: Bool, transB: Bool, n: Int, k: Int, alpha: Float,
                                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                       beta: Float, c: UnsafeMutablePointer<Float>) {
        let aStride = transA ? lda : 1
        var sums = [Float](repeating: 0, count: n)
        sums.withUnsafeMutableBufferPointer { acc in
            let out = acc.baseAddress!
            if transB {
                for j in 0..<n { out[j] = dot(a, aStride, b + j * ldb, k) }
                return
            }
            // A classifier's weights (1280×1000 floats, 5 MB) are read once: each core streams a contiguous half of
            // the rows into its own sums, added at the end (in the same order for every column).
            let parts = n * k >= 1 << 20 ? ParallelFor.width : 1
            ScratchPool.current.withBuffer(count: parts * n) { partial in
                ParallelFor.run(parts, cost: .max / parts) { range in
                    for part in range {
                        let sum = partial + part * n
                        sum.update(repeating: 0, count: n)
                        let first = k * part / parts, count = k * (part + 1) / parts - first
                        accumulate(sum, n: n, rows: b + first * ldb, ldb: ldb, scales: a + first * aStride,
                                   scaleStride: aStride, count: count)
                    }
                }
                for part in 0..<parts {
                    for j in 0..<n { out[j] += partial[part * n + j] }
                }
            }
        }
        for j in 0..<n { c[j] = alpha * sums[j] + (beta == 0 ? 0 : beta * c[j]) }
    }

    /// `sum[j] += scales[p·scaleStride] · rows[p·ldb + j]`, row after row: on the AVX2 or AVX-512 kernels where
    /// the CPU has them, which keep a stretch of `sum` in registers over eight rows (the same bits).
    private static func accumulate(_ sum: UnsafeMutablePointer<Float>, n: Int, rows: UnsafePointer<Float>, ldb: Int,
                                   scales: UnsafePointer<Float>, scaleStride: Int, count: Int) {
        if VectorGemm.isWide {
            RowSumsAVX512.accumulate(sum, n: n, rows: rows, ldb: ldb, scales: scales, scaleStride: scaleStride,
                                     count: count)
        } else if VectorGemm.isAvailable {
            RowSums.accumulate(sum, n: n, rows: rows, ldb: ldb, scales: scales, scaleStride: scaleStride, count: count)
        } else {
            for p in 0..<count {
                let scale = scales[p * scaleStride]
                let row = rows + p * ldb
                for j in 0..<n { sum[j] += scale * row[j] }
            }
        }
    }

    /// Dot product of `count` floats, `x` strided, `y` contiguous, in eight fixed partial sums.
    private static func dot(_ x: UnsafePointer<Float>, _ stride: Int, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
        var partial = SIMD8<Float>()
        var i = 0
        if stride == 1 {
            while i + 8 <= count {
                partial += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                    * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
                i += 8
            }
        }
        var sum = partial.sum()
        while i < count {
            sum += x[i * stride] * y[i]
            i += 1
        }
        return sum
    }

    private static func call(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
                             _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)
        )
    }

    private static let setUp: Void = { OpenBLASCore.selectFastKernels() }()

    private static func ready() { _ = setUp }
}

import AVX2Kernels

/// AVX2Kernels' `RowSums` compiled for AVX-512: the same loop, the same bits.
public enum RowSumsAVX512 {
    /// `RowSums.accumulate`.
    public static func accumulate(_ sum: UnsafeMutablePointer<Float>, n: Int, rows: UnsafePointer<Float>, ldb: Int,
                                  scales: UnsafePointer<Float>, scaleStride: Int, count: Int) {
        RowSums.accumulateLoop(sum, n: n, rows: rows, ldb: ldb, scales: scales, scaleStride: scaleStride, count: count)
    }
}

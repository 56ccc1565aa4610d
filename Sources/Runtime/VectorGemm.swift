import AVX2Kernels
import AVX512Kernels
import Foundation

/// Whether products (and the depthwise rows and elementwise maps) run on Strata's own vector kernels instead of
/// OpenBLAS and plain x86-64 loops, and on which: `AVX512Kernels` where the CPU has AVX-512, else `AVX2Kernels`
/// where it has Haswell's instruction set.
///
/// `STRATA_GEMM=blas` asks for OpenBLAS and `STRATA_GEMM=avx2` for the AVX2 kernels on an AVX-512 CPU (to compare
/// them, or to rule one out). Both kernel sets compute every sum in the same order, so their results are the same
/// to the bit.
enum VectorGemm {
    /// Whether the vector kernels run at all.
    static let isAvailable: Bool = {
        if ProcessInfo.processInfo.environment["STRATA_GEMM"] == "blas" { return false }
        return CPUFeatures.current.hasHaswellInstructions
    }()

    /// Whether they run on the AVX-512 kernels.
    static let isWide: Bool = {
        guard isAvailable, ProcessInfo.processInfo.environment["STRATA_GEMM"] != "avx2" else { return false }
        return CPUFeatures.current.hasAVX512Instructions
    }()

    /// Floats of scratch `multiply` needs at depth `k`.
    static func scratchCount(k: Int) -> Int {
        isWide ? PackedGemmAVX512.scratchCount(k: k) : PackedGemm.scratchCount(k: k)
    }

    /// `PackedGemm.multiply` on the widest kernels this CPU has; `narrow` as in `PackedGemmAVX512.multiply` (the
    /// AVX2 kernels take none).
    @inline(__always)
    static func multiply(m: Int, n: Int, k: Int, packedA: UnsafePointer<Float>, panels: Range<Int>,
                         b: UnsafePointer<Float>, ldb: Int, rowOffsets: UnsafePointer<Int>? = nil,
                         columnRuns: UnsafePointer<Int>? = nil, c: UnsafeMutablePointer<Float>, ldc: Int,
                         rowStart: UnsafePointer<Float>?, accumulate: Bool, scratch: UnsafeMutablePointer<Float>,
                         narrow: Int = 0) {
        if isWide {
            PackedGemmAVX512.multiply(m: m, n: n, k: k, packedA: packedA, panels: panels, b: b, ldb: ldb,
                                      rowOffsets: rowOffsets, columnRuns: columnRuns, c: c, ldc: ldc,
                                      rowStart: rowStart, accumulate: accumulate, scratch: scratch, narrow: narrow)
        } else {
            PackedGemm.multiply(m: m, n: n, k: k, packedA: packedA, panels: panels, b: b, ldb: ldb,
                                rowOffsets: rowOffsets, columnRuns: columnRuns, c: c, ldc: ldc, rowStart: rowStart,
                                accumulate: accumulate, scratch: scratch)
        }
    }

    /// `PositionGemm.multiply` on the widest kernels this CPU has.
    @inline(__always)
    static func multiplyPositions(positionPanels: Range<Int>, channels: Range<Int>, m: Int, k: Int,
                                  image: UnsafePointer<Float>, taps: UnsafePointer<Int>, flat: UnsafePointer<Int>,
                                  weights: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                                  gather: UnsafeMutablePointer<Float>? = nil) {
        if isWide {
            PositionGemmAVX512.multiply(positionPanels: positionPanels, channels: channels, m: m, k: k, image: image,
                                        taps: taps, flat: flat, weights: weights, c: c, ldc: ldc, gather: gather)
        } else {
            PositionGemm.multiply(positionPanels: positionPanels, channels: channels, m: m, k: k, image: image,
                                  taps: taps, flat: flat, weights: weights, c: c, ldc: ldc, gather: gather)
        }
    }
}

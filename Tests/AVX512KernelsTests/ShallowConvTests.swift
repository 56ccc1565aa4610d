import Testing
import AVX2Kernels
import AVX512Kernels
@testable import Runtime

/// `ShallowConvAVX512` against the shifted product it replaces (`PackedGemmAVX512.multiply` over the flat rows of a
/// padded image, the columns past each output row dropped): the same bits in every output, nothing written past
/// the `m` planes.
@Suite(.enabled(if: CPUFeatures.current.hasAVX512Instructions, "the CPU lacks AVX-512"))
struct ShallowConvTests {
    /// Shapes: resnet_small's stem (one channel, 16 outputs at 28×28), a short last weight panel, three channels,
    /// rows of exactly 16, rows of 40 (a last run that repeats the one before), a 5×5 window.
    @Test(arguments: [
        (m: 16, channels: 1, kh: 3, kw: 3, outH: 28, outW: 28),
        (m: 5, channels: 3, kh: 3, kw: 3, outH: 6, outW: 16),
        (m: 13, channels: 2, kh: 3, kw: 3, outH: 4, outW: 21),
        (m: 7, channels: 3, kh: 3, kw: 3, outH: 3, outW: 40),
        (m: 32, channels: 1, kh: 5, kw: 5, outH: 9, outW: 20),
    ])
    func matchesTheShiftedProduct(_ shape: (m: Int, channels: Int, kh: Int, kw: Int, outH: Int, outW: Int)) {
        let (m, k) = (shape.m, shape.channels * shape.kh * shape.kw)
        let pitch = shape.outW + shape.kw - 1, planeRows = shape.outH + shape.kh - 1
        let image = AVX512GemmTests.values(shape.channels * planeRows * pitch + 16, seed: 7)
        var taps: [Int] = []
        for c in 0..<shape.channels {
            for ky in 0..<shape.kh {
                for kx in 0..<shape.kw { taps.append(c * planeRows * pitch + ky * pitch + kx) }
            }
        }
        let weights = AVX512GemmTests.values(m * k, seed: 8)
        var packed = [Float](repeating: 0, count: PackedGemm.packedCount(m: m, k: k))
        PackedGemm.pack(m: m, k: k, a: weights, lda: k, into: &packed)
        let bias = AVX512GemmTests.values(PackedGemm.panels(m: m) * PackedGemm.panelRows, seed: 9)
        let plane = shape.outH * shape.outW, n = (shape.outH - 1) * pitch + shape.outW
        for withBias in [true, false] {
            var flat = [Float](repeating: .nan, count: m * n)
            var scratch = [Float](repeating: 0, count: PackedGemmAVX512.scratchCount(k: k))
            PackedGemmAVX512.multiply(m: m, n: n, k: k, packedA: packed, panels: 0..<PackedGemm.panels(m: m), b: image,
                                      ldb: 0, rowOffsets: taps, c: &flat, ldc: n, rowStart: withBias ? bias : nil,
                                      accumulate: false, scratch: &scratch)
            var y = [Float](repeating: .nan, count: m * plane + 16)
            ShallowConvAVX512.run(m: m, k: k, packedA: packed, rowStart: withBias ? bias : nil, image: image,
                                  taps: taps, pitch: pitch, outH: shape.outH, outW: shape.outW, into: &y, plane: plane)
            var mismatches = 0
            for r in 0..<m {
                for oy in 0..<shape.outH {
                    for ox in 0..<shape.outW where y[r * plane + oy * shape.outW + ox].bitPattern
                        != flat[r * n + oy * pitch + ox].bitPattern { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "\(shape) bias \(withBias)")
            let untouched = y[(m * plane)...].allSatisfy { $0.isNaN }
            #expect(untouched, "written past the planes")
        }
    }
}

import StrataCore

/// Converting Keras weight layouts to ONNX ones at import (HWIO → OIHW and the like).
enum WeightLayout {
    /// `t` with its axes permuted (`result.shape[i] == t.shape[perm[i]]`), float32.
    static func permuted(_ t: Tensor, _ perm: [Int]) -> Tensor {
        precondition(perm.sorted() == Array(0..<t.rank), "bad permutation \(perm) for \(t.shape)")
        let shape = perm.map { t.shape[$0] }
        var out = Tensor(dtype: .float32, shape: shape)
        guard t.count > 0 else { return out }
        var srcStrides = [Int](repeating: 1, count: t.rank)
        for i in stride(from: t.rank - 2, through: 0, by: -1) { srcStrides[i] = srcStrides[i + 1] * t.shape[i + 1] }
        let strides = perm.map { srcStrides[$0] }
        let rank = shape.count
        let inner = shape[rank - 1]
        let innerStride = strides[rank - 1]
        t.withFloats { src in
            out.withMutableFloats { dst in
                var index = [Int](repeating: 0, count: rank)
                var o = 0
                while o < dst.count {
                    var s = 0
                    for d in 0..<(rank - 1) { s += index[d] * strides[d] }
                    for j in 0..<inner { dst[o + j] = src[s + j * innerStride] }
                    o += inner
                    var d = rank - 2
                    while d >= 0 {
                        index[d] += 1
                        if index[d] < shape[d] { break }
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
        return out
    }

    /// Keras Conv kernel (kh, kw, in/groups, out) → ONNX Conv weight (out, in/groups, kh, kw).
    static func convKernel(_ hwio: Tensor) -> Tensor { permuted(hwio, [3, 2, 0, 1]) }

    /// Keras Conv2DTranspose kernel (kh, kw, out, in) → ONNX ConvTranspose weight (in, out, kh, kw).
    static func convTransposeKernel(_ hwoi: Tensor) -> Tensor { permuted(hwoi, [3, 2, 0, 1]) }

    /// Keras depthwise kernel (kh, kw, C, M) → ONNX grouped Conv weight (C·M, 1, kh, kw); output channel
    /// c·M + m, as TensorFlow orders them.
    static func depthwiseKernel(_ hwcm: Tensor) -> Tensor {
        let s = hwcm.shape
        let flat = hwcm.reshaped([s[0], s[1], s[2] * s[3]])
        return permuted(flat, [2, 0, 1]).reshaped([s[2] * s[3], 1, s[0], s[1]])
    }
}

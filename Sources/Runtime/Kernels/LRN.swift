import Foundation
import StrataCore

/// LRN and Dropout (inference).
enum LocalResponse {
    /// LRN across channels: `y = x / (bias + alpha / size · Σ x²)^beta`, the sum over the `size` channels
    /// around each one (`floor((size-1)/2)` before, `ceil((size-1)/2)` after). `X` `[N, C, ...]`.
    static func lrn(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        let size = node.int("size", default: 0)
        guard size > 0 else { throw node.invalid("size must be a positive integer") }
        guard x.rank >= 2 else { throw node.invalid("X has shape \(x.shape), expected [N, C, ...]") }
        let alpha = node.float("alpha", default: 1e-4), beta = node.float("beta", default: 0.75)
        let bias = node.float("bias", default: 1)
        let (n, c) = (x.shape[0], x.shape[1])
        let plane = x.count / max(n * c, 1)
        let (before, after) = ((size - 1) / 2, size / 2)
        var y = Tensor(dtype: .float32, shape: x.shape)
        x.withFloats { xs in
            y.withMutableFloats { ys in
                for image in 0..<n {
                    for ch in 0..<c {
                        let base = (image * c + ch) * plane
                        for i in 0..<plane {
                            var sum: Float = 0
                            for other in max(0, ch - before)...min(c - 1, ch + after) {
                                let v = xs[(image * c + other) * plane + i]
                                sum += v * v
                            }
                            ys[base + i] = xs[base + i] / powf(bias + alpha / Float(size) * sum, beta)
                        }
                    }
                }
            }
        }
        return y
    }

    /// Dropout at inference: the output is the input, the optional mask all true (bool from opset 10, before
    /// that the input's type). `training_mode` with a non-zero ratio would need random numbers: refused.
    static func dropout(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> [Tensor] {
        guard let data = inputs.first ?? nil else { throw node.invalid("input data is missing") }
        var training = context.opset < 7 && node.int("is_test", default: 0) == 0
        var ratio = Double(node.float("ratio", default: 0.5))
        if context.opset >= 12 {
            if inputs.count > 1, let r = inputs[1], r.count == 1 { ratio = r.double(at: 0) }
            training = inputs.count > 2 && (inputs[2].map { $0.count == 1 && $0.double(at: 0) != 0 } ?? false)
        }
        if training && ratio != 0 {
            throw node.invalid("training mode with ratio \(ratio) is not supported (Strata runs inference only)")
        }
        guard node.outputs.count > 1, !node.outputs[1].isEmpty else { return [data] }
        let maskType: DType = context.opset >= 10 ? .bool : data.dtype
        var mask = Tensor(dtype: maskType, shape: data.shape)
        mask.withUnsafeMutableBytes { bytes in
            for i in 0..<data.count {
                switch maskType {
                case .bool: bytes.storeBytes(of: UInt8(1), toByteOffset: i, as: UInt8.self)
                case .float32: bytes.storeBytes(of: Float(1), toByteOffset: i * 4, as: Float.self)
                case .float64: bytes.storeBytes(of: Double(1), toByteOffset: i * 8, as: Double.self)
                default: bytes.storeBytes(of: Float16(1), toByteOffset: i * 2, as: Float16.self)
                }
            }
        }
        return [data, mask]
    }
}

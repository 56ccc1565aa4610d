import Foundation
import StrataCore

/// BatchNormalization, InstanceNormalization, LayerNormalization, LRN and Dropout (ONNX semantics), float32.
enum NormalizationKernels {
    static let all: [String: Kernel] = [
        "BatchNormalization": { node, inputs, context in try batchNormalization(node, inputs, context) },
        "InstanceNormalization": { node, inputs, _ in [try instanceNormalization(node, inputs)] },
        "LayerNormalization": { node, inputs, _ in try LayerNormalization.run(node, inputs) },
        "LRN": { node, inputs, _ in [try LocalResponse.lrn(node, inputs)] },
        "Dropout": { node, inputs, context in try LocalResponse.dropout(node, inputs, context) },
    ]

    /// BatchNormalization `X` `[N, C, ...]` with `scale`, `B`, `input_mean`, `input_var` of `[C]` (or, for the
    /// opset 6–8 `spatial = 0` form, `[C, ...]`). Inference mode; `training_mode = 1` (opset 14+) normalises
    /// with the batch's statistics and also returns the updated running mean and variance.
    static func batchNormalization(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> [Tensor] {
        try batchNormalization(node, inputs, context, relu: false).outputs
    }

    /// BatchNormalization, and with `relu` also `Relu` of its output, computed plane by plane while the plane is
    /// in the cache (same values as the two kernels one after the other). `relu` is nil for the training and
    /// per-element forms, which a following Relu then computes itself.
    static func batchNormalization(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext,
                                   relu wantsRelu: Bool) throws -> (outputs: [Tensor], relu: Tensor?) {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        var params = try ["scale", "B", "input_mean", "input_var"].enumerated().map {
            try FloatArgs.required(node, inputs, $0.offset + 1, $0.element).scalars(as: Float.self)
        }
        guard x.rank >= 2 else { throw node.invalid("X has shape \(x.shape), expected [N, C, ...]") }
        let (n, c) = (x.shape[0], x.shape[1])
        let plane = x.count / max(n * c, 1)
        let epsilon = node.float("epsilon", default: 1e-5)
        var extra: [Tensor] = []
        if context.opset >= 14, node.int("training_mode", default: 0) != 0 {
            let momentum = node.float("momentum", default: 0.9)
            let (mean, variance) = batchStatistics(x, n: n, c: c, plane: plane)
            let running = (0..<c).map { params[2][$0] * momentum + mean[$0] * (1 - momentum) }
            let runningVar = (0..<c).map { params[3][$0] * momentum + variance[$0] * (1 - momentum) }
            (params[2], params[3]) = (mean, variance)
            extra = [Tensor(shape: [c], floats: running), Tensor(shape: [c], floats: runningVar)]
        }
        let perElement = params[0].count == c * plane && plane > 1
        guard params.allSatisfy({ $0.count == params[0].count }), params[0].count == c || perElement else {
            throw node.invalid("scale, B, mean and var must have \(c) values each for X \(x.shape)")
        }
        let width = perElement ? c * plane : c
        let (a, b) = affineCoefficients(params, epsilon: epsilon, count: width)
        var y = Tensor.uninitialized(dtype: .float32, shape: x.shape)
        var r = wantsRelu && !perElement && extra.isEmpty ? Tensor.uninitialized(shape: x.shape) : nil
        x.withFloats { xs in
            y.withMutableFloats { ys in
                let (src, dst) = (xs.baseAddress!, ys.baseAddress!)
                let rectified = r?.withMutableFloats { $0.baseAddress! }
                ParallelFor.run(n * c, cost: plane) { range in
                    for p in range {
                        let (base, ch) = (p * plane, p % c)
                        if perElement {
                            for i in 0..<plane { dst[base + i] = src[base + i] * a[ch * plane + i] + b[ch * plane + i] }
                        } else {
                            let (scale, shift) = (a[ch], b[ch])
                            FloatSIMD.affine(src + base, dst + base, count: plane, scale: scale, shift: shift)
                            if let rectified { FloatSIMD.relu(dst + base, rectified + base, count: plane) }
                        }
                    }
                }
            }
        }
        let outputs = extra.isEmpty ? [y] + inputs[3...4].compactMap { $0 } + inputs[3...4].compactMap { $0 } : [y] + extra
        return (Array(outputs.prefix(max(1, node.outputs.count))), r)
    }

    /// Inference-mode coefficients from `scale`, `B`, `mean`, `var` (in that order): `y = x · a + b`.
    static func affineCoefficients(_ params: [[Float]], epsilon: Float, count: Int) -> (a: [Float], b: [Float]) {
        let a = (0..<count).map { params[0][$0] / (params[3][$0] + epsilon).squareRoot() }
        let b = (0..<count).map { params[1][$0] - params[2][$0] * a[$0] }
        return (a, b)
    }

    /// Per-channel mean and population variance over batch and spatial axes.
    private static func batchStatistics(_ x: Tensor, n: Int, c: Int, plane: Int) -> ([Float], [Float]) {
        x.withFloats { xs in
            var mean = [Float](repeating: 0, count: c), variance = mean
            for ch in 0..<c {
                var sum = 0.0, squares = 0.0
                for image in 0..<n {
                    for v in xs[((image * c + ch) * plane)..<((image * c + ch + 1) * plane)] {
                        sum += Double(v)
                        squares += Double(v) * Double(v)
                    }
                }
                let count = Double(max(n * plane, 1))
                mean[ch] = Float(sum / count)
                variance[ch] = Float(max(0, squares / count - (sum / count) * (sum / count)))
            }
            return (mean, variance)
        }
    }

    /// InstanceNormalization: `X` `[N, C, ...]`, `scale` and `B` `[C]`; each (image, channel) plane normalised
    /// by its own mean and variance.
    static func instanceNormalization(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "input")
        let scale = try FloatArgs.required(node, inputs, 1, "scale").scalars(as: Float.self)
        let bias = try FloatArgs.required(node, inputs, 2, "B").scalars(as: Float.self)
        guard x.rank >= 3, scale.count == x.shape[1], bias.count == x.shape[1] else {
            throw node.invalid("scale and B must have \(x.rank > 1 ? x.shape[1] : 0) values for input \(x.shape)")
        }
        let epsilon = Double(node.float("epsilon", default: 1e-5))
        let c = x.shape[1]
        let plane = x.count / (x.shape[0] * c)
        var y = Tensor(dtype: .float32, shape: x.shape)
        x.withFloats { xs in
            y.withMutableFloats { ys in
                for p in 0..<(x.shape[0] * c) {
                    let (mean, inv) = LayerNormalization.moments(xs.baseAddress! + p * plane, count: plane, epsilon: epsilon)
                    let (s, b) = (scale[p % c], bias[p % c])
                    for i in (p * plane)..<((p + 1) * plane) { ys[i] = (xs[i] - mean) * inv * s + b }
                }
            }
        }
        return y
    }
}

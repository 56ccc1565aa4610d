import Foundation
import StrataCore

extension KerasLayers {
    /// Largest constant built from config sizes alone (not from weights the file holds).
    static let maxConstantCount = 1 << 26

    /// Axes of a config entry (int or list), made non-negative for `rank`.
    static func axes(_ any: Any?, rank: Int, default fallback: [Int]) -> [Int] {
        let raw: [Int]
        if let n = any as? NSNumber { raw = [n.intValue] } else if let a = any as? [NSNumber] { raw = a.map(\.intValue) } else { raw = fallback }
        return raw.map { $0 < 0 ? $0 + rank : $0 }.sorted()
    }

    /// Shape that broadcasts a per-`axis` vector of `count` values against a rank-`rank` value.
    static func broadcastShape(axis: Int, count: Int, rank: Int) -> [Int] {
        [count] + Array(repeating: 1, count: max(rank - 1 - axis, 0))
    }

    /// Inference BatchNormalization on any axis: x·scale + shift, with scale = γ/√(var + ε) and
    /// shift = β − mean·scale folded at import (as TensorFlow computes it).
    static func batchNormalization(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let rank = e.inputRank else { throw e.fail("input shape unknown") }
        let axisList = axes(e.config["axis"], rank: rank, default: [-1])
        guard axisList.count == 1, let axis = axisList.first, (1..<rank).contains(axis) else {
            throw e.fail("unsupported axis \(axisList)")
        }
        let c = e.inputDim(axis)
        let gamma = e.config.bool("scale", default: true) ? try e.weight("gamma", shape: [c]).floats : nil
        let beta = e.config.bool("center", default: true) ? try e.weight("beta", shape: [c]).floats : nil
        let mean = try e.weight("moving_mean", shape: [c]).floats
        let variance = try e.weight("moving_variance", shape: [c]).floats
        let epsilon = e.config.double("epsilon") ?? 1e-3
        var scale = [Float](repeating: 0, count: mean.count)
        var shift = scale
        for i in mean.indices {
            let s = Double(gamma?[i] ?? 1) / (Double(variance[i]) + epsilon).squareRoot()
            scale[i] = Float(s)
            shift[i] = Float(Double(beta?[i] ?? 0) - Double(mean[i]) * s)
        }
        let shape = broadcastShape(axis: axis, count: mean.count, rank: rank)
        let y = e.node("Mul", [e.input, e.floats("scale", scale, shape: shape)], tag: "scaled")
        e.node("Add", [y, e.floats("shift", shift, shape: shape)], tag: "shifted")
        return e.inputShape
    }

    /// LayerNormalization over trailing axes (ONNX LayerNormalization from the first of them).
    static func layerNormalization(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let rank = e.inputRank, let shape = e.inputShape else { throw e.fail("input shape unknown") }
        let axisList = axes(e.config["axis"], rank: rank, default: [-1])
        guard let first = axisList.first, first >= 1, axisList == Array(first..<rank) else {
            throw e.fail("normalizing over axes \(axisList) is not supported (only trailing axes)")
        }
        guard !e.config.bool("rms_scaling", default: false) else { throw e.fail("rms_scaling is not supported") }
        let dims = axisList.map { shape[$0].intValue }
        guard !dims.contains(nil) else { throw e.fail("normalized axes have unknown sizes") }
        let paramShape = dims.map { $0! }
        guard let count = Tensor.checkedElementCount(paramShape), count <= maxConstantCount else { throw e.fail("input shape \(shape) too large") }
        let gamma = e.config.bool("scale", default: true)
            ? try e.weight("gamma", shape: paramShape.map { $0 }.count == 1 ? [count] : paramShape)
            : Tensor(shape: [count], repeating: 1)
        let beta = e.config.bool("center", default: true)
            ? try e.weight("beta", shape: paramShape.count == 1 ? [count] : paramShape)
            : Tensor(shape: [count], repeating: 0)
        let inputs = [e.input, e.constant("gamma", gamma.reshaped(paramShape)), e.constant("beta", beta.reshaped(paramShape))]
        let epsilon = Float(e.config.double("epsilon") ?? 1e-3)
        e.node("LayerNormalization", inputs, ["axis": .int(first), "epsilon": .float(epsilon)])
        return e.inputShape
    }

    /// Normalization (preprocessing): (x − mean) / max(√var, 1e-7), or the inverse with `invert`. The
    /// statistics come from the config (`mean`, `variance`) or from the adapted weights (mean, variance, count).
    static func normalization(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let rank = e.inputRank, let shape = e.inputShape else { throw e.fail("input shape unknown") }
        let kept = e.config["axis"] == nil ? [] : axes(e.config["axis"], rank: rank, default: [-1])
        let broadcast = (0..<rank).map { kept.contains($0) ? shape[$0].intValue : 1 }
        guard !broadcast.contains(nil) else { throw e.fail("normalized axes have unknown sizes") }
        let target = broadcast.map { $0! }
        guard let count = Tensor.checkedElementCount(target), count <= maxConstantCount else { throw e.fail("input shape \(shape) too large") }
        var mean: [Float]
        var variance: [Float]
        if let m = floatList(e.config["mean"]), let v = floatList(e.config["variance"]) {
            mean = m
            variance = v
        } else {
            let statsShape: [Int?] = kept.map { shape[$0].intValue }
            mean = try e.weight("mean", shape: statsShape).floats
            variance = try e.weight("variance", shape: statsShape).floats
            if e.remainingWeights().count > 1 { throw e.fail("unexpected weights") }
        }
        if mean.count == 1 { mean = Array(repeating: mean[0], count: count) }
        if variance.count == 1 { variance = Array(repeating: variance[0], count: count) }
        guard mean.count == count, variance.count == count else { throw e.fail("mean/variance do not match the input") }
        let std = variance.map { max($0.squareRoot(), 1e-7) }
        let meanName = e.floats("mean", mean, shape: target)
        let stdName = e.floats("std", std, shape: target)
        if e.config.bool("invert", default: false) {
            e.node("Add", [e.node("Mul", [e.input, stdName], tag: "scaled"), meanName], tag: "shifted")
        } else {
            e.node("Div", [e.node("Sub", [e.input, meanName], tag: "centered"), stdName], tag: "normalized")
        }
        return e.inputShape
    }
}

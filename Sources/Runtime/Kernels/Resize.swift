import StrataCore

/// Resize (opset 10, 11, 13, 18, 19) and Upsample (opset 7 attribute scales, opset 9 input scales), float32,
/// any rank: nearest, linear and cubic, separable per axis.
enum ResizeKernels {
    static let all: [String: Kernel] = [
        "Resize": { node, inputs, context in [try resize(node, inputs, context)] },
        "Upsample": { node, inputs, context in [try upsample(node, inputs, context)] },
    ]

    /// Largest output Resize will allocate (elements), so a scale from a file cannot exhaust memory.
    static let maxOutputElements = 1 << 28

    static func resize(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        let legacy = context.opset < 11
        let scalesInput = legacy ? inputs.count > 1 ? inputs[1] : nil : inputs.count > 2 ? inputs[2] : nil
        let sizesInput = legacy || inputs.count < 4 ? nil : inputs[3]
        let coordinate = legacy ? "asymmetric" : node.string("coordinate_transformation_mode", default: "half_pixel")
        guard coordinate != "tf_crop_and_resize" else {
            throw node.invalid("coordinate_transformation_mode 'tf_crop_and_resize' is not supported")
        }
        let known = ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"]
        guard known.contains(coordinate) else { throw node.invalid("unknown coordinate_transformation_mode '\(coordinate)'") }
        var resampler = Resampler(mode: try mode(node), coordinate: coordinate)
        resampler.excludeOutside = node.int("exclude_outside", default: 0) != 0
        resampler.antialias = node.int("antialias", default: 0) != 0
        resampler.legacyNearest = legacy
        var axes = node.ints("axes") ?? Array(0..<x.rank)
        axes = axes.map { $0 < 0 ? $0 + x.rank : $0 }
        guard axes.allSatisfy({ (0..<x.rank).contains($0) }), Set(axes).count == axes.count else {
            throw node.invalid("axes \(node.ints("axes") ?? []) do not fit X \(x.shape)")
        }
        let (outShape, scales): ([Int], [Double])
        if let sizes = sizesInput, sizes.count > 0 {
            (outShape, scales) = try fromSizes(node, x.shape, sizes.int64s.map(Int.init), axes)
        } else if let s = scalesInput, s.count > 0 {
            (outShape, scales) = try fromScales(node, x.shape, s.doubles.map { Double(Float($0)) }, axes)
        } else {
            throw node.invalid("neither scales nor sizes is given")
        }
        return try resample(node, x, outShape: outShape, scales: scales, resampler)
    }

    /// Upsample: opset 7 reads `scales` from the attribute, opset 9 from the second input; `mode` nearest or linear.
    static func upsample(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try FloatArgs.required(node, inputs, 0, "X")
        let scales: [Double]
        if let attribute = node.floats("scales") {
            scales = attribute.map(Double.init)
        } else if inputs.count > 1, let s = inputs[1] {
            scales = s.doubles.map { Double(Float($0)) }
        } else {
            throw node.invalid("scales is missing")
        }
        let (outShape, full) = try fromScales(node, x.shape, scales, Array(0..<x.rank))
        var resampler = Resampler(mode: try mode(node), coordinate: "asymmetric")
        resampler.legacyNearest = true
        return try resample(node, x, outShape: outShape, scales: full, resampler)
    }

    private static func mode(_ node: Node) throws -> Resampler.Mode {
        switch node.string("mode", default: "nearest") {
        case "nearest":
            let rule = node.string("nearest_mode", default: "round_prefer_floor")
            guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(rule) else {
                throw node.invalid("unknown nearest_mode '\(rule)'")
            }
            return .nearest(rule)
        case "linear", "bilinear": return .linear
        case "cubic": return .cubic(a: Double(node.float("cubic_coeff_a", default: -0.75)))
        case let other: throw node.invalid("unknown mode '\(other)'")
        }
    }

    /// Output shape `floor(scale · size)` per axis, and the scale of every axis (1 off `axes`).
    static func fromScales(_ node: Node, _ shape: [Int], _ scales: [Double], _ axes: [Int]) throws -> ([Int], [Double]) {
        guard scales.count == axes.count, scales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw node.invalid("scales \(scales) do not fit input shape \(shape)")
        }
        var out = shape, full = [Double](repeating: 1, count: shape.count)
        for (axis, s) in zip(axes, scales) {
            full[axis] = s
            let size = (s * Double(shape[axis])).rounded(.down)
            guard size <= Double(maxOutputElements) else { throw node.invalid("scale \(s) makes the output too large") }
            out[axis] = Int(size)
        }
        return (out, full)
    }

    /// Output shape from `sizes` (with `keep_aspect_ratio_policy`), and the implied scales.
    static func fromSizes(_ node: Node, _ shape: [Int], _ sizes: [Int], _ axes: [Int]) throws -> ([Int], [Double]) {
        guard sizes.count == axes.count, sizes.allSatisfy({ $0 >= 0 && $0 <= maxOutputElements }) else {
            throw node.invalid("sizes \(sizes) do not fit input shape \(shape)")
        }
        var out = shape, scales = [Double](repeating: 1, count: shape.count)
        for (axis, size) in zip(axes, sizes) {
            out[axis] = size
            scales[axis] = Double(size) / Double(max(shape[axis], 1))
        }
        let policy = node.string("keep_aspect_ratio_policy", default: "stretch")
        guard policy != "stretch" else { return (out, scales) }
        let chosen = axes.map { scales[$0] }
        guard let scale = policy == "not_larger" ? chosen.min() : policy == "not_smaller" ? chosen.max() : nil else {
            throw node.invalid("unknown keep_aspect_ratio_policy '\(policy)'")
        }
        for axis in axes {
            scales[axis] = scale
            out[axis] = Int(scale * Double(shape[axis]) + 0.5)
        }
        return (out, scales)
    }

    /// Applies `resampler` along every axis whose size or scale changes.
    static func resample(_ node: Node, _ x: Tensor, outShape: [Int], scales: [Double], _ resampler: Resampler) throws -> Tensor {
        guard let total = Tensor.checkedElementCount(outShape), total <= maxOutputElements else {
            throw node.invalid("output shape \(outShape) is too large")
        }
        var current = x
        for axis in 0..<x.rank {
            let unchanged = abs(scales[axis] - 1) < 1e-9 && outShape[axis] == current.shape[axis]
            if unchanged { continue }
            guard current.shape[axis] > 0 else { throw node.invalid("cannot resize an empty axis of \(x.shape)") }
            let taps = resampler.taps(input: current.shape[axis], outputs: outShape[axis], scale: scales[axis])
            current = apply(taps, to: current, axis: axis, outputs: outShape[axis])
        }
        return current
    }

    /// `y[outer, o, inner] = Σ weight · x[outer, index, inner]` over the taps of each output position `o`.
    private static func apply(_ taps: Resampler.Taps, to x: Tensor, axis: Int, outputs: Int) -> Tensor {
        var shape = x.shape
        let input = shape[axis]
        shape[axis] = outputs
        let outer = x.shape[..<axis].reduce(1, *)
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        var y = Tensor(dtype: .float32, shape: shape)
        x.withFloats { xs in
            y.withMutableFloats { ys in
                let (src, dst) = (xs.baseAddress!, ys.baseAddress!)
                ParallelFor.run(outer, cost: outputs * inner * taps.count) { range in
                    for block in range {
                        for o in 0..<outputs {
                            let out = dst + (block * outputs + o) * inner
                            out.update(repeating: 0, count: inner)
                            for t in 0..<taps.count {
                                let w = taps.weight[o * taps.count + t]
                                if w == 0 { continue }
                                let line = src + (block * input + taps.index[o * taps.count + t]) * inner
                                for i in 0..<inner { out[i] += w * line[i] }
                            }
                        }
                    }
                }
            }
        }
        return y
    }
}

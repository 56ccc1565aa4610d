// Resize (opset 10: scales; 11+: roi, scales, sizes; 18+: axes, keep_aspect_ratio_policy) and Upsample
// (opset 7: scales attribute; 9: scales input).

extension InferenceContext {
    mutating func resize(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape else { return TensorType(dtype: x.dtype) }
        let rank = s.count
        let axes = node.opType == "Resize" ? (node.attrInts("axes").flatMap { self.axes($0, rank: rank) } ?? Array(0..<rank)) : Array(0..<rank)
        let (scalesInput, sizesInput) = node.opType == "Upsample" || opset < 11 ? (1, -1) : (2, 3)
        if sizesInput >= 0, let sizes = value(node, sizesInput), !sizes.elements.isEmpty {
            guard sizes.elements.count == axes.count else { return freshShape(rank: rank, dtype: x.dtype) }
            return TensorType(dtype: x.dtype, shape: resized(s, axes: axes, sizes: sizes.elements, policy: node))
        }
        let scales: [Double]?
        if node.opType == "Upsample", opset < 9 {
            scales = node.attrFloats("scales")?.map(Double.init)
        } else {
            scales = doubles(node, scalesInput)
        }
        guard let scales, scales.count == axes.count else { return freshShape(rank: rank, dtype: x.dtype) }
        var out = s
        for (k, a) in axes.enumerated() { out[a] = scaled(s[a], by: scales[k]) }
        return TensorType(dtype: x.dtype, shape: out)
    }

    /// `floor(size × scale)`; a symbol survives a whole-number scale.
    private mutating func scaled(_ d: Dim, by scale: Double) -> Dim {
        guard scale.isFinite, scale >= 0, scale < Double(DimLimits.maxAttribute) else { return fresh() }
        if let n = d.boundedValue { return .value(Int((Double(n) * scale).rounded(.down))) }
        if scale == scale.rounded(), scale >= 1, let p = DimProduct(d).times(DimProduct(.value(Int(scale)))) {
            return p.dim
        }
        return fresh()
    }

    /// Output sizes from the `sizes` input, honoring `keep_aspect_ratio_policy`.
    private mutating func resized(_ s: [Dim], axes: [Int], sizes: [KnownValue.Element], policy node: Node) -> [Dim] {
        var out = s
        let policy = node.attrString("keep_aspect_ratio_policy", default: "stretch")
        let ratios = axes.indices.compactMap { k -> Double? in
            guard let target = sizes[k].intValue, let n = s[axes[k]].boundedValue, n > 0 else { return nil }
            return Double(target) / Double(n)
        }
        if policy != "stretch", ratios.count == axes.count, let scale = policy == "not_larger" ? ratios.min() : ratios.max() {
            for a in axes { out[a] = roundedScale(s[a], by: scale) }
            return out
        }
        for (k, a) in axes.enumerated() {
            out[a] = sizes[k].dim.flatMap { $0.intValue.map { $0 >= 0 } ?? true ? $0 : nil } ?? fresh()
        }
        return out
    }

    /// `round(size × scale)`, as `keep_aspect_ratio_policy` sizes are computed.
    private mutating func roundedScale(_ d: Dim, by scale: Double) -> Dim {
        guard let n = d.boundedValue, scale.isFinite, scale >= 0, scale < Double(DimLimits.maxAttribute) else { return fresh() }
        return .value(Int((Double(n) * scale).rounded()))
    }
}

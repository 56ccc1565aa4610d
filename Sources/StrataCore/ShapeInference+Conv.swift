// Convolutions and pooling: NCHW-style inputs `[N, C, D1, D2, ...]`.

/// The window attributes shared by Conv, ConvTranspose and the pools, resolved against the spatial rank.
struct WindowAttributes {
    var kernel: [Int]?
    var strides: [Int]
    var dilations: [Int]
    /// `[begin..., end...]`.
    var pads: [Int]
    var autoPad: String
    var valid: Bool

    init(_ node: Node, spatial: Int, kernel weightKernel: [Dim]? = nil) {
        let attrKernel = node.attrInts("kernel_shape")
        kernel = attrKernel ?? weightKernel.flatMap { dims in
            let ks = dims.compactMap(\.intValue)
            return ks.count == dims.count ? ks : nil
        }
        strides = node.attrInts("strides") ?? Array(repeating: 1, count: spatial)
        dilations = node.attrInts("dilations") ?? Array(repeating: 1, count: spatial)
        pads = node.attrInts("pads") ?? Array(repeating: 0, count: 2 * spatial)
        autoPad = node.attrString("auto_pad", default: "NOTSET")
        let limit = DimLimits.maxAttribute
        valid = strides.count == spatial && dilations.count == spatial && pads.count == 2 * spatial
            && (kernel.map { $0.count == spatial && $0.allSatisfy { (1...limit).contains($0) } } ?? true)
            && strides.allSatisfy { (1...limit).contains($0) } && dilations.allSatisfy { (1...limit).contains($0) }
            && pads.allSatisfy { (-limit...limit).contains($0) }
    }

    /// The extent of the dilated kernel along axis `i`.
    func effectiveKernel(_ i: Int) -> Int? {
        kernel.map { ($0[i] - 1) * dilations[i] + 1 }
    }
}

extension InferenceContext {
    /// The output size of a sliding window over `input` along spatial axis `i`.
    mutating func windowOutput(_ input: Dim, _ a: WindowAttributes, axis i: Int, ceilMode: Bool = false) -> Dim {
        guard a.valid, let k = a.effectiveKernel(i) else { return fresh() }
        let s = a.strides[i]
        let (begin, end) = a.autoPad == "VALID" ? (0, 0) : (a.pads[i], a.pads[i + a.strides.count])
        if a.autoPad == "SAME_UPPER" || a.autoPad == "SAME_LOWER" {
            guard let n = input.boundedValue else { return s == 1 ? input : fresh() }
            return .value(n.ceilDiv(s))
        }
        guard let n = input.boundedValue else {
            return s == 1 && begin + end == k - 1 ? input : fresh()
        }
        let span = n + begin + end - k
        guard span >= 0 else { return fresh() }
        var out = (ceilMode ? span.ceilDiv(s) : span / s) + 1
        // A window that would start inside the end padding is dropped (ONNX pooling, opset 19 wording).
        if ceilMode, (out - 1) * s >= n + begin { out -= 1 }
        return .value(out)
    }

    mutating func conv(_ node: Node) -> TensorType {
        let dtype = node.opType == "ConvInteger" ? DType.int32 : type(node, 0).dtype
        guard let x = shape(node, 0), x.count >= 3 else { return TensorType(dtype: dtype) }
        let w = shape(node, 1)
        let spatial = x.count - 2
        let weightKernel = w.flatMap { $0.count == x.count ? Array($0.dropFirst(2)) : nil }
        let a = WindowAttributes(node, spatial: spatial, kernel: weightKernel)
        var out = [x[0], w?.first ?? fresh()]
        for i in 0..<spatial { out.append(windowOutput(x[2 + i], a, axis: i)) }
        return TensorType(dtype: dtype, shape: out)
    }

    mutating func convTranspose(_ node: Node) -> TensorType {
        let dtype = type(node, 0).dtype
        guard let x = shape(node, 0), x.count >= 3 else { return TensorType(dtype: dtype) }
        let spatial = x.count - 2
        let w = shape(node, 1).flatMap { $0.count == x.count ? $0 : nil }
        let a = WindowAttributes(node, spatial: spatial, kernel: w.map { Array($0.dropFirst(2)) })
        let group = node.attrInt("group", default: 1)
        var channels = fresh()
        if let w, (1...DimLimits.maxAttribute).contains(group),
           let c = DimProduct(w[1]).times(DimProduct(.value(group))) {
            channels = c.dim
        }
        var out = [x[0], channels]
        let outputShape = node.attrInts("output_shape").map { $0.count == x.count ? Array($0.dropFirst(2)) : $0 }
        let outputPadding = node.attrInts("output_padding") ?? Array(repeating: 0, count: spatial)
        for i in 0..<spatial {
            if let outputShape, outputShape.count == spatial {
                out.append(outputShape[i] >= 0 ? .value(outputShape[i]) : fresh())
                continue
            }
            guard a.valid, outputPadding.count == spatial, let k = a.effectiveKernel(i),
                  (0...DimLimits.maxAttribute).contains(outputPadding[i]), let n = x[2 + i].boundedValue else {
                out.append(fresh())
                continue
            }
            let s = a.strides[i]
            let size: Int
            if a.autoPad == "SAME_UPPER" || a.autoPad == "SAME_LOWER" {
                size = n * s
            } else {
                let (begin, end) = a.autoPad == "VALID" ? (0, 0) : (a.pads[i], a.pads[i + spatial])
                size = s * (n - 1) + outputPadding[i] + k - begin - end
            }
            out.append(size >= 0 ? .value(size) : fresh())
        }
        return TensorType(dtype: dtype, shape: out)
    }

    /// MaxPool (with its optional int64 indices output), AveragePool and LpPool.
    mutating func pool(_ node: Node) -> [TensorType] {
        let dtype = type(node, 0).dtype
        guard let x = shape(node, 0), x.count >= 3 else { return [TensorType(dtype: dtype), TensorType(dtype: .int64)] }
        let spatial = x.count - 2
        let a = WindowAttributes(node, spatial: spatial)
        let ceilMode = node.attrInt("ceil_mode", default: 0) != 0
        var out = [x[0], x[1]]
        for i in 0..<spatial { out.append(windowOutput(x[2 + i], a, axis: i, ceilMode: ceilMode)) }
        return [TensorType(dtype: dtype, shape: out), TensorType(dtype: .int64, shape: out)]
    }

    mutating func globalPool(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape, s.count >= 2 else { return TensorType(dtype: x.dtype) }
        return TensorType(dtype: x.dtype, shape: [s[0], s[1]] + Array(repeating: .value(1), count: s.count - 2))
    }
}

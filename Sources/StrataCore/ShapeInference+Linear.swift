// Matrix products, normalizations and reductions.

extension InferenceContext {
    /// Gemm: `A` `[M, K]` (or `[K, M]` with `transA`), `B` `[K, N]` (or `[N, K]` with `transB`) → `[M, N]`.
    mutating func gemm(_ node: Node) -> TensorType {
        let a = shape(node, 0).flatMap { $0.count == 2 ? $0 : nil }
        let b = shape(node, 1).flatMap { $0.count == 2 ? $0 : nil }
        let transA = node.attrInt("transA", default: 0) != 0
        let transB = node.attrInt("transB", default: 0) != 0
        let m = a.map { transA ? $0[1] : $0[0] } ?? fresh()
        let n = b.map { transB ? $0[0] : $0[1] } ?? fresh()
        return TensorType(dtype: type(node, 0).dtype ?? type(node, 1).dtype, shape: [m, n])
    }

    /// MatMul with NumPy semantics: batch dimensions broadcast; a 1-D operand gains a dimension that the
    /// result then drops.
    mutating func matMul(_ node: Node) -> TensorType {
        let dtype = node.opType == "MatMulInteger" ? .int32 : (type(node, 0).dtype ?? type(node, 1).dtype)
        guard let a = shape(node, 0), let b = shape(node, 1), !a.isEmpty, !b.isEmpty else {
            return TensorType(dtype: dtype)
        }
        let left = a.count == 1 ? [.value(1)] + a : a
        let right = b.count == 1 ? b + [.value(1)] : b
        guard let batch = broadcast([Array(left.dropLast(2)), Array(right.dropLast(2))]) else {
            return TensorType(dtype: dtype)
        }
        var out = batch
        if a.count > 1 { out.append(left[left.count - 2]) }
        if b.count > 1 { out.append(right[right.count - 1]) }
        return TensorType(dtype: dtype, shape: out)
    }

    /// BatchNormalization: `Y` like `X`; the optional statistics outputs are `[C]`.
    func batchNormalization(_ node: Node) -> [TensorType] {
        let x = type(node, 0)
        let channels = x.shape.flatMap { $0.count >= 2 ? [$0[1]] : nil } ?? shape(node, 1)
        let stat = TensorType(dtype: x.dtype, shape: channels)
        return [x, stat, stat, stat, stat]
    }

    /// LayerNormalization: `Y` like `X`; `Mean` and `InvStdDev` keep the dimensions before `axis` and
    /// have 1 from `axis` on.
    func layerNormalization(_ node: Node) -> [TensorType] {
        let x = type(node, 0)
        guard let s = x.shape, let axis = axis(node.attrInt("axis", default: -1), rank: s.count) else {
            return [x, TensorType(dtype: .float32), TensorType(dtype: .float32)]
        }
        let stat = TensorType(dtype: .float32, shape: Array(s[..<axis]) + Array(repeating: .value(1), count: s.count - axis))
        return [x, stat, stat]
    }

    /// The ReduceX family: axes from the attribute (older opsets) or the second input (newer ones).
    mutating func reduce(_ node: Node) -> TensorType {
        let x = type(node, 0)
        let keepDims = node.attrInt("keepdims", default: 1) != 0
        guard let s = x.shape else { return TensorType(dtype: x.dtype) }
        var requested = node.attrInts("axes")
        if inputName(node, 1) != nil {
            guard let fromInput = ints(node, 1) else {
                return keepDims ? freshShape(rank: s.count, dtype: x.dtype) : TensorType(dtype: x.dtype)
            }
            requested = fromInput
        }
        if requested?.isEmpty ?? true, node.attrInt("noop_with_empty_axes", default: 0) != 0 { return x }
        guard let axes = axes(requested.flatMap { $0.isEmpty ? nil : $0 } ?? Array(0..<s.count), rank: s.count) else {
            return TensorType(dtype: x.dtype)
        }
        return TensorType(dtype: x.dtype, shape: reducedShape(s, axes: axes, keepDims: keepDims))
    }

    /// ArgMax and ArgMin: int64 indices along `axis`.
    func argReduce(_ node: Node) -> TensorType {
        guard let s = shape(node, 0), let a = axis(node.attrInt("axis", default: 0), rank: s.count) else {
            return TensorType(dtype: .int64)
        }
        return TensorType(dtype: .int64, shape: reducedShape(s, axes: [a], keepDims: node.attrInt("keepdims", default: 1) != 0))
    }

    /// TopK: `k` (attribute before opset 10, input after) along `axis`; values and int64 indices.
    mutating func topK(_ node: Node) -> [TensorType] {
        let x = type(node, 0)
        guard let s = x.shape, let a = axis(node.attrInt("axis", default: -1), rank: s.count) else {
            return [TensorType(dtype: x.dtype), TensorType(dtype: .int64)]
        }
        let k = opset < 10 ? node.attrInt("k", default: -1) : (ints(node, 1)?.first ?? -1)
        var out = s
        out[a] = k >= 0 ? .value(k) : fresh()
        return [TensorType(dtype: x.dtype, shape: out), TensorType(dtype: .int64, shape: out)]
    }

    func reducedShape(_ s: [Dim], axes: [Int], keepDims: Bool) -> [Dim] {
        s.indices.compactMap { i in
            guard axes.contains(i) else { return s[i] }
            return keepDims ? .value(1) : nil
        }
    }
}

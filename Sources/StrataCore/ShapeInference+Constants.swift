// Operators that create tensors or read shapes: Shape, Size, Constant, ConstantOfShape, Range.

extension InferenceContext {
    /// Shape (with opset 15's `start` and `end`): int64 `[k]`, whose elements are the input's dimensions,
    /// symbols included.
    mutating func shapeOp(_ node: Node) -> TensorType {
        guard let s = shape(node, 0) else { return TensorType(dtype: .int64, shape: [fresh()]) }
        let rank = s.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let start = clamp(node.attrInt("start", default: 0))
        let end = clamp(node.attrInt("end", default: rank))
        let dims = start < end ? Array(s[start..<end]) : []
        setValue(node, 0, KnownValue(dims: dims))
        return TensorType(dtype: .int64, shape: [.value(dims.count)])
    }

    mutating func sizeOp(_ node: Node) -> TensorType {
        if let s = shape(node, 0), let p = DimProduct.of(s) {
            setValue(node, 0, KnownValue(shape: [], elements: [KnownValue.Element(p.dim)]))
        }
        return TensorType(dtype: .int64, shape: [])
    }

    mutating func constant(_ node: Node) -> TensorType {
        switch (node.attributes["value"], node.attributes["value_float"], node.attributes["value_floats"]) {
        case let (.tensor(t)?, _, _):
            setValue(node, 0, KnownValue(tensor: t))
            return TensorType(dtype: t.dtype, shape: t.shape.map { .value($0) })
        case let (_, .float(v)?, _):
            setValue(node, 0, KnownValue(shape: [], elements: [.float(Double(v))]))
            return TensorType(dtype: .float32, shape: [])
        case let (_, _, .floats(v)?):
            setValue(node, 0, KnownValue(shape: [v.count], elements: v.map { .float(Double($0)) }))
            return TensorType(dtype: .float32, shape: [.value(v.count)])
        default: break
        }
        switch (node.attributes["value_int"], node.attributes["value_ints"]) {
        case let (.int(v)?, _):
            setValue(node, 0, KnownValue(shape: [], elements: [.int(v)]))
            return TensorType(dtype: .int64, shape: [])
        case let (_, .ints(v)?):
            setValue(node, 0, KnownValue(shape: [v.count], elements: v.map { .int($0) }))
            return TensorType(dtype: .int64, shape: [.value(v.count)])
        default: break
        }
        if case .string? = node.attributes["value_string"] { return TensorType(shape: []) }
        if case let .strings(v)? = node.attributes["value_strings"] { return TensorType(shape: [.value(v.count)]) }
        return TensorType()
    }

    /// ConstantOfShape: the shape comes from the input's contents; only small results are materialized.
    mutating func constantOfShape(_ node: Node) -> TensorType {
        let fill = node.attrTensor("value")
        let dtype = fill?.dtype ?? .float32
        guard let dims = dimsOperand(node, 0) else { return TensorType(dtype: dtype) }
        if let shape = TensorType(shape: dims).concreteShape, let count = Tensor.checkedElementCount(shape),
           count <= ShapeInference.maxKnownElements {
            let element: KnownValue.Element = fill.flatMap { KnownValue(tensor: $0)?.elements.first } ?? (dtype.isFloatingPoint ? .float(0) : .int(0))
            setValue(node, 0, KnownValue(shape: shape, elements: Array(repeating: element, count: count)))
        }
        return TensorType(dtype: dtype, shape: dims)
    }

    /// Range: `max(0, ceil((limit - start) / delta))` elements.
    mutating func range(_ node: Node) -> TensorType {
        let dtype = firstDType(node)
        guard let start = value(node, 0)?.elements.first, let limit = value(node, 1)?.elements.first,
              let delta = value(node, 2)?.elements.first else { return TensorType(dtype: dtype, shape: [fresh()]) }
        if case let .int(s) = start, case let .int(l) = limit, case let .int(d) = delta, d != 0, d != Int.min,
           !(dtype?.isFloatingPoint ?? false) {
            let (span, overflow) = l.subtractingReportingOverflow(s)
            guard !overflow, span != Int.min else { return TensorType(dtype: dtype, shape: [fresh()]) }
            let count = d > 0 ? max(0, span.ceilDiv(d)) : max(0, (-span).ceilDiv(-d))
            if count <= ShapeInference.maxKnownElements {
                setValue(node, 0, KnownValue(shape: [count], elements: (0..<count).map { .int(s + $0 * d) }))
            }
            return TensorType(dtype: dtype, shape: [.value(count)])
        }
        guard let s = start.doubleValue, let l = limit.doubleValue, let d = delta.doubleValue, d != 0 else {
            return TensorType(dtype: dtype, shape: [fresh()])
        }
        let length = ((l - s) / d).rounded(.up)
        guard length.isFinite, length < Double(DimLimits.maxDim) else { return TensorType(dtype: dtype, shape: [fresh()]) }
        let count = length > 0 ? Int(length) : 0
        if count <= ShapeInference.maxKnownElements {
            setValue(node, 0, KnownValue(shape: [count], elements: (0..<count).map { .float(s + Double($0) * d) }))
        }
        return TensorType(dtype: dtype, shape: [.value(count)])
    }
}

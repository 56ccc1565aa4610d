import StrataCore

/// Shape arithmetic and views: Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze, Identity, Cast, CastLike,
/// Constant, ConstantOfShape, Range. Reshaping kernels share the input's storage.
enum ShapeKernels {
    static let all: [String: Kernel] = [
        "Shape": { node, inputs, _ in
            let x = try ShapeArgs.input(node, inputs, 0)
            let r = x.rank
            let clamp = { (v: Int) in min(max(v < 0 ? v + r : v, 0), r) }
            let start = clamp(node.int("start", default: 0)), end = clamp(node.int("end", default: r))
            let dims = start < end ? x.shape[start..<end].map { Int64($0) } : []
            return [Tensor(shape: [dims.count], scalars: dims)]
        },
        "Size": { node, inputs, _ in [Tensor(scalar: Int64(try ShapeArgs.input(node, inputs, 0).count))] },
        "Identity": { node, inputs, _ in [try ShapeArgs.input(node, inputs, 0)] },
        "Reshape": { node, inputs, context in [try reshape(node, inputs, context)] },
        "Flatten": { node, inputs, _ in
            let x = try ShapeArgs.input(node, inputs, 0)
            let a = node.int("axis", default: 1)
            let axis = a < 0 ? a + x.rank : a
            guard (0...x.rank).contains(axis) else { throw node.invalid("axis \(a) is out of range for shape \(x.shape)") }
            return [x.reshaped([x.shape[..<axis].reduce(1, *), x.shape[axis...].reduce(1, *)])]
        },
        "Squeeze": { node, inputs, context in [try squeeze(node, inputs, context)] },
        "Unsqueeze": { node, inputs, context in [try unsqueeze(node, inputs, context)] },
        "Cast": { node, inputs, _ in
            let x = try ShapeArgs.input(node, inputs, 0)
            let code = node.int("to", default: 0)
            guard let target = ShapeArgs.dtype(onnxCode: code) else { throw node.invalid("cannot cast to type code \(code)") }
            return [x.converted(to: target)]
        },
        "CastLike": { node, inputs, _ in
            [try ShapeArgs.input(node, inputs, 0).converted(to: try ShapeArgs.input(node, inputs, 1).dtype)]
        },
        "Constant": { node, _, _ in [try constant(node)] },
        "ConstantOfShape": { node, inputs, _ in
            let shape = try ShapeArgs.dims(node, inputs, 0, role: "shape")
            let value = node.tensor("value") ?? Tensor(scalar: Float(0))
            guard value.count == 1 else { throw node.invalid("value must hold one element, has \(value.count)") }
            try ShapeArgs.checkSize(node, shape)
            return [Broadcast.expand(value.reshaped([]), to: shape)]
        },
        "Range": { node, inputs, _ in [try range(node, inputs)] },
    ]

    /// Reshape: shape from input 1 (attribute `shape` before opset 5); 0 copies the input's dimension unless
    /// `allowzero`, -1 is inferred.
    static func reshape(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        let requested = context.opset < 5 && inputs.count < 2 ? (node.ints("shape") ?? []) : try ShapeArgs.dims(node, inputs, 1, role: "shape", allowNegative: true)
        let allowZero = node.int("allowzero", default: 0) != 0
        var shape = requested
        var inferred: Int?
        for (i, d) in requested.enumerated() {
            if d == 0 && !allowZero {
                guard i < x.rank else { throw node.invalid("shape \(requested) copies dimension \(i) of \(x.shape)") }
                shape[i] = x.shape[i]
            } else if d == -1 {
                guard inferred == nil else { throw node.invalid("shape \(requested) has more than one -1") }
                inferred = i
            } else if d < 0 {
                throw node.invalid("shape \(requested) has a negative dimension")
            }
        }
        if let i = inferred {
            let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            guard known > 0, x.count % known == 0 else { throw node.invalid("cannot reshape \(x.shape) to \(requested)") }
            shape[i] = x.count / known
        }
        guard Tensor.checkedElementCount(shape) == x.count else { throw node.invalid("cannot reshape \(x.shape) to \(requested)") }
        return x.reshaped(shape)
    }

    /// Axes from input 1 from opset 13 (or when given), else the `axes` attribute; nil when absent.
    static func rawAxes(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) -> [Int]? {
        if context.opset >= 13 || inputs.count > 1 {
            return inputs.count > 1 ? inputs[1].map { $0.int64s.map { Int($0) } } : nil
        }
        return node.ints("axes")
    }

    /// `axes` with negative values counted from the end of `rank`; throws for axes out of range or repeated.
    static func normalised(_ node: Node, _ axes: [Int], rank: Int) throws -> [Int] {
        let result = try axes.map { a in
            let axis = a < 0 ? a + rank : a
            guard (0..<rank).contains(axis) else { throw node.invalid("axis \(a) is out of range for rank \(rank)") }
            return axis
        }
        guard Set(result).count == result.count else { throw node.invalid("axes \(axes) repeat") }
        return result
    }

    static func squeeze(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        let axes = try rawAxes(node, inputs, context).map { try normalised(node, $0, rank: x.rank) }
            ?? x.shape.indices.filter { x.shape[$0] == 1 }
        for a in axes where x.shape[a] != 1 { throw node.invalid("cannot squeeze axis \(a) of shape \(x.shape)") }
        return x.reshaped(x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] })
    }

    static func unsqueeze(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        guard let raw = rawAxes(node, inputs, context) else { throw node.invalid("axes are missing") }
        let outRank = x.rank + raw.count
        let axes = try normalised(node, raw, rank: outRank)
        var shape: [Int] = []
        var next = x.shape.makeIterator()
        for i in 0..<outRank { shape.append(axes.contains(i) ? 1 : next.next()!) }
        return x.reshaped(shape)
    }

    /// Constant: `value` (a tensor), or one of `value_float(s)`, `value_int(s)`.
    static func constant(_ node: Node) throws -> Tensor {
        if let t = node.tensor("value") { return t }
        switch (node.attributes["value_float"], node.attributes["value_floats"],
                node.attributes["value_int"], node.attributes["value_ints"]) {
        case let (.float(v)?, _, _, _): return Tensor(scalar: v)
        case let (.int(v)?, _, _, _): return Tensor(scalar: Float(v))
        case let (_, .floats(v)?, _, _): return Tensor(shape: [v.count], floats: v)
        case let (_, _, .int(v)?, _): return Tensor(scalar: Int64(v))
        case let (_, _, _, .ints(v)?): return Tensor(shape: [v.count], scalars: v.map { Int64($0) })
        case let (_, _, _, .int(v)?): return Tensor(shape: [1], scalars: [Int64(v)])
        default: throw node.invalid("has no value Strata can read (sparse and string constants are not supported)")
        }
    }

    /// Range(start, limit, delta): `max(ceil((limit - start) / delta), 0)` elements of start's type.
    static func range(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let start = try ShapeArgs.input(node, inputs, 0), limit = try ShapeArgs.input(node, inputs, 1)
        let delta = try ShapeArgs.input(node, inputs, 2)
        guard start.count == 1, limit.count == 1, delta.count == 1 else { throw node.invalid("start, limit and delta must be scalars") }
        let (s, l, d) = (start.double(at: 0), limit.double(at: 0), delta.double(at: 0))
        guard d != 0, s.isFinite, l.isFinite, d.isFinite else { throw node.invalid("delta is 0 or a bound is not finite") }
        let n = max(Int(((l - s) / d).rounded(.up)), 0)
        try ShapeArgs.checkSize(node, [n])
        if start.dtype == .int64 {
            let (s64, d64) = (start.int64s[0], delta.int64s[0])
            return Tensor(shape: [n], scalars: (0..<n).map { s64 &+ Int64($0) &* d64 })
        }
        if start.dtype == .float32 {
            let (sf, df) = (Float(s), Float(d))
            return Tensor(shape: [n], floats: (0..<n).map { sf + Float($0) * df })
        }
        return Tensor(shape: [n], scalars: (0..<n).map { s + Double($0) * d }).converted(to: start.dtype)
    }
}

/// Argument checks for the shape and movement kernels (any element type).
enum ShapeArgs {
    /// Largest tensor a shape computed by a model may ask for (2^31 elements), so a size in a file
    /// cannot make the program allocate without bound.
    static let maxElements = 1 << 31

    static func input(_ node: Node, _ inputs: [Tensor?], _ index: Int) throws -> Tensor {
        guard index < inputs.count, let t = inputs[index] else { throw node.invalid("input \(index) is missing") }
        return t
    }

    /// A rank-0 or rank-1 integer input as `Int`s (non-negative unless `allowNegative`).
    static func dims(_ node: Node, _ inputs: [Tensor?], _ index: Int, role: String, allowNegative: Bool = false) throws -> [Int] {
        let t = try input(node, inputs, index)
        guard t.dtype == .int64 || t.dtype == .int32, t.rank <= 1 else {
            throw node.invalid("\(role) must be a 1-D int64 tensor, got \(t)")
        }
        let values = t.int64s.map { Int($0) }
        if !allowNegative, let bad = values.first(where: { $0 < 0 }) { throw node.invalid("\(role) has negative value \(bad)") }
        return values
    }

    static func checkSize(_ node: Node, _ shape: [Int]) throws {
        guard let n = Tensor.checkedElementCount(shape), n <= maxElements else {
            throw node.invalid("output shape \(shape) is too large")
        }
    }

    /// The element type an ONNX `TensorProto.DataType` code names (the types Strata computes with).
    static func dtype(onnxCode code: Int) -> DType? {
        let table: [Int: DType] = [1: .float32, 2: .uint8, 3: .int8, 4: .uint16, 5: .int16, 6: .int32, 7: .int64,
                                   9: .bool, 10: .float16, 11: .float64, 12: .uint32, 13: .uint64]
        return table[code]
    }
}

// Operators that rearrange a tensor's dimensions: Flatten, Reshape, Transpose, Squeeze, Unsqueeze,
// Expand, Tile, DepthToSpace and SpaceToDepth.

extension InferenceContext {
    mutating func flatten(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape else { return TensorType(dtype: x.dtype, shape: [fresh(), fresh()]) }
        var a = node.attrInt("axis", default: 1)
        if a < 0 { a += s.count }
        guard (0...s.count).contains(a) else { return TensorType(dtype: x.dtype) }
        let outer = DimProduct.of(Array(s[..<a]))?.dim ?? fresh()
        let inner = DimProduct.of(Array(s[a...]))?.dim ?? fresh()
        return reshapedValue(node, TensorType(dtype: x.dtype, shape: [outer, inner]))
    }

    /// Reshape: `0` copies the input dimension (unless `allowzero`), one `-1` takes what is left; the
    /// target may hold symbols computed from `Shape`.
    mutating func reshape(_ node: Node) -> TensorType {
        let x = type(node, 0)
        let target: [KnownValue.Element]
        if opset < 5, let attr = node.attrInts("shape") {
            target = attr.map { .int($0) }
        } else if let v = value(node, 1), v.shape.count == 1 {
            target = v.elements
        } else if let t = shape(node, 1), t.count == 1, let k = t[0].boundedValue, k <= 64 {
            target = Array(repeating: .unknown, count: k)
        } else {
            return TensorType(dtype: x.dtype)
        }
        let allowZero = node.attrInt("allowzero", default: 0) != 0
        var out: [Dim] = []
        var inferred: Int?
        for (i, element) in target.enumerated() {
            switch element.dim {
            case .value(0)? where !allowZero:
                out.append(x.shape.flatMap { i < $0.count ? $0[i] : nil } ?? fresh())
            case .value(-1)? where inferred == nil:
                inferred = i
                out.append(.value(-1))
            case let d? where (d.intValue ?? 0) >= 0:
                out.append(d)
            default:
                out.append(fresh())
            }
        }
        if let inferred {
            var others = out
            others.remove(at: inferred)
            let total = x.shape.flatMap { DimProduct.of($0) }
            let rest = DimProduct.of(others)
            out[inferred] = total.flatMap { t in rest.flatMap { t.dividing(by: $0) } }?.dim ?? fresh()
        }
        return reshapedValue(node, TensorType(dtype: x.dtype, shape: out))
    }

    /// Passes input 0's known contents to output 0 under the output's shape, and returns `type`.
    mutating func reshapedValue(_ node: Node, _ type: TensorType) -> TensorType {
        if let v = value(node, 0), let s = type.concreteShape {
            setValue(node, 0, KnownValue(shape: s, elements: v.elements))
        }
        return type
    }

    mutating func transpose(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape else { return TensorType(dtype: x.dtype) }
        let perm = node.attrInts("perm") ?? Array((0..<s.count).reversed())
        guard perm.count == s.count, Set(perm) == Set(0..<s.count) else { return TensorType(dtype: x.dtype) }
        return TensorType(dtype: x.dtype, shape: perm.map { s[$0] })
    }

    /// Axes from the `axes` input (opset 13 and later) or attribute; `[]` when neither is given, `nil`
    /// when the input exists but its contents are unknown.
    func axesOperand(_ node: Node, input: Int) -> [Int]? {
        if inputName(node, input) != nil { return ints(node, input) }
        return node.attrInts("axes") ?? []
    }

    mutating func squeeze(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape, let requested = axesOperand(node, input: 1) else { return TensorType(dtype: x.dtype) }
        let axes: [Int]
        if !requested.isEmpty {
            guard let normalized = self.axes(requested, rank: s.count) else { return TensorType(dtype: x.dtype) }
            axes = normalized
        } else {
            guard s.allSatisfy({ $0.intValue != nil }) else { return TensorType(dtype: x.dtype) }
            axes = s.indices.filter { s[$0] == .value(1) }
        }
        let out = s.indices.filter { !axes.contains($0) }.map { s[$0] }
        return reshapedValue(node, TensorType(dtype: x.dtype, shape: out))
    }

    mutating func unsqueeze(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape, let requested = axesOperand(node, input: 1),
              let axes = axes(requested, rank: s.count + requested.count) else { return TensorType(dtype: x.dtype) }
        var rest = s.makeIterator()
        let out = (0..<(s.count + axes.count)).map { axes.contains($0) ? .value(1) : rest.next()! }
        return reshapedValue(node, TensorType(dtype: x.dtype, shape: out))
    }

    /// The dimensions a rank-1 shape operand (input `i`) describes, unknown elements as fresh symbols.
    mutating func dimsOperand(_ node: Node, _ i: Int) -> [Dim]? {
        if let v = value(node, i), v.shape.count == 1 {
            return v.elements.map { e in e.dim.flatMap { $0.intValue.map { $0 >= 0 } ?? true ? $0 : nil } ?? fresh() }
        }
        guard let t = shape(node, i), t.count == 1, let k = t[0].boundedValue, k <= 64 else { return nil }
        return (0..<k).map { _ in fresh() }
    }

    mutating func expand(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let target = dimsOperand(node, 1) else { return TensorType(dtype: x.dtype) }
        return TensorType(dtype: x.dtype, shape: broadcast([x.shape, target]))
    }

    mutating func tile(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape, let repeats = dimsOperand(node, 1), repeats.count == s.count else {
            return TensorType(dtype: x.dtype)
        }
        let out = zip(s, repeats).map { d, r in DimProduct(d).times(DimProduct(r))?.dim ?? fresh() }
        return TensorType(dtype: x.dtype, shape: out)
    }

    /// DepthToSpace `[N, C, H, W]` → `[N, C/b², H·b, W·b]`; SpaceToDepth the reverse.
    mutating func depthSpace(_ node: Node) -> TensorType {
        let x = type(node, 0)
        let b = node.attrInt("blocksize", default: 0)
        guard let s = x.shape, s.count == 4, (1...DimLimits.maxAttribute).contains(b) else { return TensorType(dtype: x.dtype) }
        let block = DimProduct(.value(b)), area = DimProduct(.value(b * b))
        let toSpace = node.opType == "DepthToSpace"
        let c = toSpace ? DimProduct(s[1]).dividing(by: area) : DimProduct(s[1]).times(area)
        let h = toSpace ? DimProduct(s[2]).times(block) : DimProduct(s[2]).dividing(by: block)
        let w = toSpace ? DimProduct(s[3]).times(block) : DimProduct(s[3]).dividing(by: block)
        return TensorType(dtype: x.dtype, shape: [s[0], c?.dim ?? fresh(), h?.dim ?? fresh(), w?.dim ?? fresh()])
    }
}

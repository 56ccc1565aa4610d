// Operators that cut and join along an axis: Concat, Split, Slice, Pad, Gather.

extension InferenceContext {
    mutating func concat(_ node: Node) -> TensorType {
        let dtype = firstDType(node)
        let shapes = node.inputs.indices.compactMap { inputName(node, $0) == nil ? nil : shape(node, $0) }
        guard let rank = shapes.first?.count, let a = axis(node.attrInt("axis", default: 0), rank: rank),
              shapes.allSatisfy({ $0.count == rank }) else { return TensorType(dtype: dtype) }
        var out: [Dim] = (0..<rank).map { i in shapes.first { $0[i].intValue != nil }?[i] ?? shapes[0][i] }
        let present = node.inputs.indices.filter { inputName(node, $0) != nil }
        if shapes.count < present.count {
            out[a] = fresh()
        } else {
            let sizes = shapes.map { $0[a] }
            let numbers = sizes.compactMap(\.boundedValue)
            let symbolic = sizes.filter { $0.intValue == nil }
            if numbers.count == sizes.count {
                out[a] = .value(numbers.reduce(0, +))
            } else if symbolic.count == 1, numbers.count == sizes.count - 1, numbers.reduce(0, +) == 0 {
                out[a] = symbolic[0]
            } else {
                out[a] = fresh()
            }
        }
        let known = present.compactMap { value(node, $0) }
        if known.count == present.count, !known.isEmpty {
            setValue(node, 0, concatValues(known, axis: a))
        }
        return TensorType(dtype: dtype, shape: out)
    }

    private func concatValues(_ parts: [KnownValue], axis a: Int) -> KnownValue? {
        let first = parts[0].shape
        guard parts.allSatisfy({ p in p.shape.count == first.count && first.indices.allSatisfy { $0 == a || p.shape[$0] == first[$0] } }),
              a < first.count,
              parts.reduce(0, { $0 + $1.elements.count }) <= ShapeInference.maxKnownElements else { return nil }
        let outer = parts[0].shape[..<a].reduce(1, *)
        var elements: [KnownValue.Element] = []
        for o in 0..<outer {
            for p in parts {
                let chunk = p.shape[a...].reduce(1, *)
                elements += p.elements[(o * chunk)..<((o + 1) * chunk)]
            }
        }
        var shape = parts[0].shape
        shape[a] = parts.map { $0.shape[a] }.reduce(0, +)
        return KnownValue(shape: shape, elements: elements)
    }

    mutating func split(_ node: Node) -> [TensorType] {
        let x = type(node, 0)
        let n = node.outputs.count
        guard let s = x.shape, let a = axis(node.attrInt("axis", default: 0), rank: s.count), n > 0 else {
            return Array(repeating: TensorType(dtype: x.dtype), count: n)
        }
        let sizes: [Dim]
        if let given = inputName(node, 1) != nil ? ints(node, 1) : node.attrInts("split"), given.count == n {
            sizes = given.map { $0 >= 0 ? .value($0) : fresh() }
        } else if inputName(node, 1) != nil && ints(node, 1) == nil {
            sizes = (0..<n).map { _ in fresh() }
        } else if let total = s[a].boundedValue {
            let chunk = total.ceilDiv(n)
            let last = total - chunk * (n - 1)
            sizes = (0..<n).map { $0 == n - 1 ? (last >= 0 ? .value(last) : fresh()) : .value(chunk) }
        } else if let part = DimProduct(s[a]).dividing(by: DimProduct(.value(n))) {
            sizes = Array(repeating: part.dim, count: n)
        } else {
            sizes = (0..<n).map { _ in fresh() }
        }
        return sizes.map { size in
            var out = s
            out[a] = size
            return TensorType(dtype: x.dtype, shape: out)
        }
    }

    // MARK: - Slice

    /// Slice, opset 1 (attributes) and opset 10+ (inputs `starts`, `ends`, `axes`, `steps`).
    mutating func slice(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape else { return TensorType(dtype: x.dtype) }
        let starts, ends, axesList, steps: [Int]?
        if opset < 10 {
            (starts, ends, axesList, steps) = (node.attrInts("starts"), node.attrInts("ends"), node.attrInts("axes"), nil)
        } else {
            starts = ints(node, 1)
            ends = ints(node, 2)
            axesList = inputName(node, 3) == nil ? nil : ints(node, 3)
            steps = inputName(node, 4) == nil ? nil : ints(node, 4)
            if (axesList == nil && inputName(node, 3) != nil) || (steps == nil && inputName(node, 4) != nil) {
                return slicedUnknown(node, s, dtype: x.dtype, axes: axesList)
            }
        }
        guard let starts, let ends, starts.count == ends.count else { return slicedUnknown(node, s, dtype: x.dtype, axes: axesList) }
        let stepList = steps ?? Array(repeating: 1, count: starts.count)
        guard let axes = axes(axesList ?? Array(0..<starts.count), rank: s.count), axes.count == starts.count,
              stepList.count == starts.count, !stepList.contains(0) else { return TensorType(dtype: x.dtype) }
        var out = s
        let known = value(node, 0)
        var picks: [[Int]?] = known == nil ? [] : s.map { d in
            d.boundedValue.flatMap { $0 <= ShapeInference.maxKnownElements ? Array(0..<$0) : nil }
        }
        for (k, a) in axes.enumerated() {
            guard let n = s[a].boundedValue else {
                let whole = stepList[k] == 1 && starts[k] == 0 && ends[k] >= Int(Int32.max)
                out[a] = whole ? s[a] : fresh()
                continue
            }
            let r = Self.sliceRange(n, start: starts[k], end: ends[k], step: stepList[k])
            out[a] = .value(r.count)
            if known != nil { picks[a] = n <= ShapeInference.maxKnownElements ? (0..<r.count).map { r.first + $0 * r.step } : nil }
        }
        if let v = known, v.shape.count == s.count {
            setValue(node, 0, Self.select(v, picks.compactMap { $0 }))
        }
        return TensorType(dtype: x.dtype, shape: out)
    }

    /// When the slice bounds are unknown: the rank stays, and so do the axes known not to be sliced.
    private mutating func slicedUnknown(_ node: Node, _ s: [Dim], dtype: DType?, axes axesList: [Int]?) -> TensorType {
        var sliced: [Int]?
        if let axesList {
            sliced = axes(axesList, rank: s.count)
        } else if opset >= 10, inputName(node, 3) == nil, let t = shape(node, 1), t.count == 1,
                  let k = t[0].boundedValue, k <= s.count {
            sliced = Array(0..<k)
        }
        guard let sliced else { return freshShape(rank: s.count, dtype: dtype) }
        var out = s
        for a in sliced { out[a] = fresh() }
        return TensorType(dtype: dtype, shape: out)
    }

    /// The indices a slice picks from an axis of size `n` (ONNX clamping of negative and huge bounds):
    /// `count` indices from `first`, `step` apart.
    static func sliceRange(_ n: Int, start: Int, end: Int, step: Int) -> (first: Int, count: Int, step: Int) {
        var (b, e) = (start < 0 ? start + n : start, end < 0 ? end + n : end)
        // A step longer than the axis picks one element; clamping keeps the arithmetic from overflowing.
        let s = step > 0 ? min(step, n + 1) : max(step, -(n + 1))
        if s > 0 {
            b = min(max(b, 0), n)
            e = min(max(e, 0), n)
            return (b, max(0, (e - b).ceilDiv(s)), s)
        }
        b = min(max(b, 0), n - 1)
        e = min(max(e, -1), n - 1)
        return (b, max(0, (b - e).ceilDiv(-s)), s)
    }

    /// The elements of `v` at the given indices per axis (a row-major cross product).
    static func select(_ v: KnownValue, _ picks: [[Int]]) -> KnownValue? {
        guard picks.count == v.shape.count else { return nil }
        let shape = picks.map(\.count)
        guard let count = Tensor.checkedElementCount(shape), count <= ShapeInference.maxKnownElements else { return nil }
        var offsets = [0]
        for (axis, indices) in picks.enumerated() {
            let inner = v.shape[(axis + 1)...].reduce(1, *)
            offsets = offsets.flatMap { base in indices.map { base + $0 * inner } }
        }
        guard offsets.allSatisfy({ v.elements.indices.contains($0) }) else { return nil }
        return KnownValue(shape: shape, elements: offsets.map { v.elements[$0] })
    }

    // MARK: - Pad and Gather

    /// Pad: pads from the attribute (`paddings` in opset 1, `pads` to opset 10) or the input (opset 11+,
    /// with optional `axes` from opset 18).
    mutating func pad(_ node: Node) -> TensorType {
        let x = type(node, 0)
        guard let s = x.shape else { return TensorType(dtype: x.dtype) }
        let pads = opset < 11 ? (node.attrInts("pads") ?? node.attrInts("paddings")) : ints(node, 1)
        let axesList = opset >= 18 && inputName(node, 3) != nil ? ints(node, 3) : Array(0..<s.count)
        guard let pads, let axesList, let axes = axes(axesList, rank: s.count), pads.count == 2 * axes.count else {
            return freshShape(rank: s.count, dtype: x.dtype)
        }
        var out = s
        for (k, a) in axes.enumerated() {
            let (begin, end) = (pads[k], pads[k + axes.count])
            let limit = DimLimits.maxAttribute
            guard (-limit...limit).contains(begin), (-limit...limit).contains(end) else { out[a] = fresh(); continue }
            if let n = s[a].boundedValue, n + begin + end >= 0 {
                out[a] = .value(n + begin + end)
            } else {
                out[a] = begin + end == 0 ? s[a] : fresh()
            }
        }
        return TensorType(dtype: x.dtype, shape: out)
    }

    /// Gather: `data.shape[..<axis] + indices.shape + data.shape[(axis+1)...]`.
    mutating func gather(_ node: Node) -> TensorType {
        let data = type(node, 0)
        guard let d = data.shape, let i = shape(node, 1), let a = axis(node.attrInt("axis", default: 0), rank: d.count) else {
            return TensorType(dtype: data.dtype)
        }
        if let v = value(node, 0), v.shape.count == d.count, let indices = ints(node, 1) {
            let n = v.shape[a]
            let normalized = indices.map { $0 < 0 ? $0 + n : $0 }
            if normalized.allSatisfy({ (0..<n).contains($0) }) {
                var picks = v.shape.map { Array(0..<$0) }
                picks[a] = normalized
                if var picked = Self.select(v, picks), let indexShape = value(node, 1)?.shape {
                    picked.shape = Array(v.shape[..<a]) + indexShape + Array(v.shape[(a + 1)...])
                    setValue(node, 0, picked)
                }
            }
        }
        return TensorType(dtype: data.dtype, shape: Array(d[..<a]) + i + Array(d[(a + 1)...]))
    }
}

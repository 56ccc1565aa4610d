// Elementwise operators: NumPy broadcasting, type rules, and the integer arithmetic of shape subgraphs.

extension InferenceContext {
    /// NumPy broadcasting of two dimensions: equal sizes stay, 1 yields to the other, a number wins over
    /// a symbol (the symbol must be 1 or that number); two different symbols give a fresh one.
    mutating func broadcast(_ a: Dim, _ b: Dim) -> Dim {
        if a.isSame(as: b) { return a }
        if a == .value(1) { return b }
        if b == .value(1) { return a }
        if a.intValue != nil, b.intValue == nil { return a }
        if b.intValue != nil, a.intValue == nil { return b }
        return fresh()
    }

    /// The broadcast shape of `shapes` (right-aligned), or `nil` when any rank is unknown.
    mutating func broadcast(_ shapes: [[Dim]?]) -> [Dim]? {
        var out: [Dim] = []
        for s in shapes {
            guard let s else { return nil }
            let rank = max(out.count, s.count)
            let a = Array(repeating: Dim.value(1), count: rank - out.count) + out
            let b = Array(repeating: Dim.value(1), count: rank - s.count) + s
            out = []
            for (x, y) in zip(a, b) { out.append(broadcast(x, y)) }
        }
        return out
    }

    /// The shapes of all present inputs.
    func inputShapes(_ node: Node) -> [[Dim]?] {
        node.inputs.indices.compactMap { inputName(node, $0) == nil ? nil : shape(node, $0) }
    }

    /// The first known element type among the inputs.
    func firstDType(_ node: Node) -> DType? {
        node.inputs.indices.lazy.compactMap { self.type(node, $0).dtype }.first
    }

    mutating func broadcastOp(_ node: Node) -> TensorType {
        let out = TensorType(dtype: firstDType(node), shape: broadcast(inputShapes(node)))
        if ["Add", "Sub", "Mul", "Div", "Max", "Min", "Sum"].contains(node.opType) {
            let known = node.inputs.indices.map { value(node, $0) }
            if !known.isEmpty, known.allSatisfy({ $0 != nil }) {
                let isFloat = out.dtype?.isFloatingPoint ?? false
                setValue(node, 0, broadcastValues(known.compactMap { $0 }) { elements in
                    elements.dropFirst().reduce(elements[0]) { Self.arithmetic(node.opType, $0, $1, isFloat: isFloat) }
                })
            }
        }
        return out
    }

    mutating func comparisonOp(_ node: Node) -> TensorType {
        if node.opType == "Equal", let a = value(node, 0), let b = value(node, 1) {
            setValue(node, 0, broadcastValues([a, b]) { e in
                if e[0] == .unknown || e[1] == .unknown { return .unknown }
                if e[0] == e[1] { return .int(1) }
                if let x = e[0].doubleValue, let y = e[1].doubleValue { return .int(x == y ? 1 : 0) }
                return .unknown
            })
        }
        return TensorType(dtype: .bool, shape: broadcast(inputShapes(node)))
    }

    mutating func whereOp(_ node: Node) -> TensorType {
        if let c = value(node, 0), let x = value(node, 1), let y = value(node, 2) {
            setValue(node, 0, broadcastValues([c, x, y]) { e in
                guard let flag = e[0].doubleValue else { return .unknown }
                return flag != 0 ? e[1] : e[2]
            })
        }
        let dtype = type(node, 1).dtype ?? type(node, 2).dtype
        return TensorType(dtype: dtype, shape: broadcast(inputShapes(node)))
    }

    /// Ops whose output has the input's type; `Neg` and `Abs` also carry known integer contents (shape
    /// subgraphs negate axes).
    mutating func sameType(_ node: Node) -> TensorType {
        if node.opType == "Neg" || node.opType == "Abs", let v = value(node, 0) {
            setValue(node, 0, KnownValue(shape: v.shape, elements: v.elements.map { e in
                switch e {
                case let .int(x) where x != Int.min: .int(node.opType == "Neg" ? -x : abs(x))
                case let .float(x): .float(node.opType == "Neg" ? -x : abs(x))
                default: .unknown
                }
            }))
        }
        return type(node, 0)
    }

    mutating func identity(_ node: Node) -> [TensorType] {
        setValue(node, 0, value(node, 0))
        return [type(node, 0)]
    }

    mutating func dropout(_ node: Node) -> [TensorType] {
        setValue(node, 0, value(node, 0))
        let x = type(node, 0)
        return [x, TensorType(dtype: .bool, shape: x.shape)]
    }

    mutating func cast(_ node: Node) -> TensorType {
        let target = node.opType == "CastLike" ? type(node, 1).dtype : dtype(onnxCode: node.attrInt("to", default: 0))
        if let v = value(node, 0), let target {
            setValue(node, 0, KnownValue(shape: v.shape, elements: v.elements.map { Self.convert($0, to: target) }))
        }
        return TensorType(dtype: target, shape: shape(node, 0))
    }

    // MARK: - Element arithmetic

    /// `value` as `Cast` to `target` would leave it.
    static func convert(_ value: KnownValue.Element, to target: DType) -> KnownValue.Element {
        switch value {
        case let .int(v): return target.isFloatingPoint ? .float(Double(v)) : target == .bool ? .int(v != 0 ? 1 : 0) : value
        case let .float(v):
            if target.isFloatingPoint { return value }
            if target == .bool { return .int(v != 0 ? 1 : 0) }
            return v.isFinite && abs(v) < 9e18 ? .int(Int(v)) : .unknown
        case .symbol, .unknown: return value
        }
    }

    /// One step of `Add`, `Sub`, `Mul`, `Div`, `Max`, `Min` or `Sum` on known elements; symbols survive
    /// multiplication, exact division and adding zero.
    static func arithmetic(_ op: String, _ a: KnownValue.Element, _ b: KnownValue.Element, isFloat: Bool) -> KnownValue.Element {
        if case .int(let x) = a, case .int(let y) = b, !isFloat { return integerArithmetic(op, x, y) }
        if let x = a.doubleValue, let y = b.doubleValue {
            let r: Double
            switch op {
            case "Add", "Sum": r = x + y
            case "Sub": r = x - y
            case "Mul": r = x * y
            case "Div": r = x / y
            case "Max": r = max(x, y)
            case "Min": r = min(x, y)
            default: return .unknown
            }
            return isFloat ? .float(r) : convert(.float(r), to: .int64)
        }
        guard let da = a.dim, let db = b.dim else { return .unknown }
        switch op {
        case "Mul":
            return DimProduct(da).times(DimProduct(db)).map { KnownValue.Element($0.dim) } ?? .unknown
        case "Div":
            return DimProduct(da).dividing(by: DimProduct(db)).map { KnownValue.Element($0.dim) } ?? .unknown
        case "Add", "Sum", "Sub":
            if db == .value(0) { return a }
            if da == .value(0), op != "Sub" { return b }
            if op == "Sub", da.isSame(as: db) { return .int(0) }
            return .unknown
        case "Max", "Min":
            return da.isSame(as: db) ? a : .unknown
        default: return .unknown
        }
    }

    private static func integerArithmetic(_ op: String, _ x: Int, _ y: Int) -> KnownValue.Element {
        let r: (Int, Bool)
        switch op {
        case "Add", "Sum": r = x.addingReportingOverflow(y)
        case "Sub": r = x.subtractingReportingOverflow(y)
        case "Mul": r = x.multipliedReportingOverflow(by: y)
        case "Div": r = y == 0 ? (0, true) : x.dividedReportingOverflow(by: y)
        case "Max": r = (max(x, y), false)
        case "Min": r = (min(x, y), false)
        default: return .unknown
        }
        return r.1 ? .unknown : .int(r.0)
    }

    /// Applies `combine` elementwise over the broadcast of `inputs` (all of known, small shapes).
    func broadcastValues(_ inputs: [KnownValue], _ combine: ([KnownValue.Element]) -> KnownValue.Element) -> KnownValue? {
        let rank = inputs.map(\.shape.count).max() ?? 0
        let shapes = inputs.map { Array(repeating: 1, count: rank - $0.shape.count) + $0.shape }
        var outShape: [Int] = []
        for axis in 0..<rank {
            let sizes = Set(shapes.map { $0[axis] }).subtracting([1])
            guard sizes.count <= 1 else { return nil }
            outShape.append(sizes.first ?? 1)
        }
        guard let count = Tensor.checkedElementCount(outShape), count <= ShapeInference.maxKnownElements else { return nil }
        let strides = shapes.map { shape in
            (0..<rank).map { axis in shape[axis] == 1 ? 0 : shape[(axis + 1)...].reduce(1, *) }
        }
        var elements: [KnownValue.Element] = []
        elements.reserveCapacity(count)
        for flat in 0..<count {
            var rest = flat
            var offsets = [Int](repeating: 0, count: inputs.count)
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let i = rest % outShape[axis]
                rest /= outShape[axis]
                for k in inputs.indices { offsets[k] += i * strides[k][axis] }
            }
            elements.append(combine(inputs.indices.map { inputs[$0].elements[offsets[$0]] }))
        }
        return KnownValue(shape: outShape, elements: elements)
    }
}

/// The state of one inference run: what is known so far about every value.
struct InferenceContext {
    let graph: Graph
    let opset: Int
    var types: [String: TensorType] = [:]
    var values: [String: KnownValue] = [:]
    /// Types the file declares (value_info and graph outputs), used where inference cannot decide.
    private var declared: [String: TensorType] = [:]
    private var freshCount = 0

    init(graph: Graph) {
        self.graph = graph
        opset = graph.opset
        for info in graph.valueInfo.values { declared[info.name] = info.type }
        for output in graph.outputs { declared[output.name] = output.type }
        for input in graph.inputs { types[input.name] = input.type }
        for (name, tensor) in graph.initializers {
            types[name] = TensorType(dtype: tensor.dtype, shape: tensor.shape.map { .value($0) })
            if let v = KnownValue(tensor: tensor) { values[name] = v }
        }
        for (name, type) in declared where types[name] == nil { types[name] = type }
    }

    /// A new symbol for a size inference cannot express.
    mutating func fresh() -> Dim {
        freshCount += 1
        return .symbol("?\(freshCount)")
    }

    /// Infers and records the types (and known contents) of the node's outputs.
    mutating func infer(_ node: Node) {
        let isONNX = node.domain.isEmpty || node.domain == "ai.onnx"
        for name in node.outputs { values[name] = nil }
        let outputs = isONNX ? outputTypes(node) : []
        for (k, name) in node.outputs.enumerated() where !name.isEmpty {
            var type = k < outputs.count ? outputs[k] : TensorType()
            if let d = declared[name] { type = Self.merge(type, declared: d) }
            types[name] = type
            if let v = values[name], let shape = type.concreteShape, shape != v.shape {
                values[name] = nil
            }
        }
    }

    /// Combines an inferred type with the file's declaration: inferred numbers and named symbols win;
    /// unknown ranks, unknown element types and fresh symbols are filled from the declaration.
    static func merge(_ inferred: TensorType, declared: TensorType) -> TensorType {
        var out = inferred
        out.dtype = inferred.dtype ?? declared.dtype
        guard let d = declared.shape else { return out }
        guard let s = inferred.shape else {
            out.shape = d
            return out
        }
        guard s.count == d.count else { return out }
        out.shape = zip(s, d).map { inferredDim, declaredDim in
            if inferredDim.intValue != nil { return inferredDim }
            if declaredDim.intValue != nil { return declaredDim }
            let isFresh = inferredDim.isAnonymous || inferredDim.description.hasPrefix("?")
            return isFresh && !declaredDim.isAnonymous ? declaredDim : inferredDim
        }
        return out
    }

    // MARK: - Inputs

    /// Name of input `i`, or `nil` when absent or omitted.
    func inputName(_ node: Node, _ i: Int) -> String? {
        guard i < node.inputs.count, !node.inputs[i].isEmpty else { return nil }
        return node.inputs[i]
    }

    /// What is known of input `i`'s type (nothing when it is absent).
    func type(_ node: Node, _ i: Int) -> TensorType {
        inputName(node, i).flatMap { types[$0] } ?? TensorType()
    }

    /// Input `i`'s shape when its rank is known.
    func shape(_ node: Node, _ i: Int) -> [Dim]? { type(node, i).shape }

    /// Input `i`'s known contents.
    func value(_ node: Node, _ i: Int) -> KnownValue? {
        inputName(node, i).flatMap { values[$0] }
    }

    /// Input `i`'s contents as integers, when every element is one.
    func ints(_ node: Node, _ i: Int) -> [Int]? {
        guard let v = value(node, i) else { return nil }
        let ints = v.elements.compactMap(\.intValue)
        return ints.count == v.elements.count ? ints : nil
    }

    /// Input `i`'s contents as numbers, when every element is one.
    func doubles(_ node: Node, _ i: Int) -> [Double]? {
        guard let v = value(node, i) else { return nil }
        let ds = v.elements.compactMap(\.doubleValue)
        return ds.count == v.elements.count ? ds : nil
    }

    /// Records the known contents of output `k`.
    mutating func setValue(_ node: Node, _ k: Int, _ value: KnownValue?) {
        guard let value, k < node.outputs.count, !node.outputs[k].isEmpty,
              value.elements.count <= ShapeInference.maxKnownElements,
              value.shape.allSatisfy({ $0 <= ShapeInference.maxKnownElements }),
              Tensor.checkedElementCount(value.shape) == value.elements.count else { return }
        values[node.outputs[k]] = value
    }

    /// A type whose shape is `rank` fresh symbols.
    mutating func freshShape(rank: Int, dtype: DType?) -> TensorType {
        guard rank >= 0, rank <= 64 else { return TensorType(dtype: dtype) }
        return TensorType(dtype: dtype, shape: (0..<rank).map { _ in fresh() })
    }

    /// Normalizes a possibly negative axis against `rank`; `nil` when out of range.
    func axis(_ a: Int, rank: Int) -> Int? {
        let r = a < 0 ? a + rank : a
        return (0..<rank).contains(r) ? r : nil
    }

    /// Normalizes axes against `rank`; `nil` when one is out of range or repeated.
    func axes(_ list: [Int], rank: Int) -> [Int]? {
        var out: [Int] = []
        var seen = Set<Int>()
        for a in list {
            guard let r = axis(a, rank: rank), seen.insert(r).inserted else { return nil }
            out.append(r)
        }
        return out
    }
}

// MARK: - Attributes

extension Node {
    func attrInt(_ name: String, default value: Int) -> Int {
        if case let .int(v) = attributes[name] { return v }
        return value
    }

    func attrInts(_ name: String) -> [Int]? {
        switch attributes[name] {
        case let .ints(v): v
        case let .int(v): [v]
        default: nil
        }
    }

    func attrFloats(_ name: String) -> [Float]? {
        switch attributes[name] {
        case let .floats(v): v
        case let .float(v): [v]
        default: nil
        }
    }

    func attrString(_ name: String, default value: String) -> String {
        if case let .string(v) = attributes[name] { return v }
        return value
    }

    func attrTensor(_ name: String) -> Tensor? {
        if case let .tensor(v) = attributes[name] { return v }
        return nil
    }
}

extension KnownValue {
    /// The contents of a tensor small enough to keep: up to `maxKnownElements` integers, or up to 64
    /// floats (scales and other parameters; weights are not worth converting).
    init?(tensor: Tensor) {
        guard tensor.count <= (tensor.dtype.isFloatingPoint ? 64 : ShapeInference.maxKnownElements),
              tensor.shape.allSatisfy({ $0 <= ShapeInference.maxKnownElements }) else { return nil }
        shape = tensor.shape
        if tensor.dtype.isFloatingPoint {
            elements = tensor.doubles.map { .float($0) }
        } else {
            elements = tensor.int64s.map { .int(Int($0)) }
        }
    }

    /// A rank-1 value of dimensions.
    init(dims: [Dim]) {
        self.init(shape: [dims.count], elements: dims.map(Element.init))
    }
}

/// The element type an ONNX `TensorProto.DataType` code names.
func dtype(onnxCode code: Int) -> DType? {
    switch code {
    case 1: .float32
    case 2: .uint8
    case 3: .int8
    case 4: .uint16
    case 5: .int16
    case 6: .int32
    case 7: .int64
    case 9: .bool
    case 10: .float16
    case 11: .float64
    case 12: .uint32
    case 13: .uint64
    default: nil
    }
}

/// Static shape and type inference over a graph.
///
/// Walks the nodes in dependency order and applies each ONNX operator's shape rule. Symbolic dimensions
/// (a batch `N`, `unk__47`) stay symbolic; a dimension that depends on a symbol in a way a product of
/// symbols cannot express becomes a fresh symbol `?1`, `?2`, ... . Small integer tensors are evaluated
/// along the way (`Shape` → `Gather` → `Concat` → `Reshape` chains), with a dimension taken from `Shape`
/// kept as its symbol. Types declared by the file (`value_info`, graph outputs) fill in what inference
/// cannot decide. Never traps on malformed models and never materializes a tensor larger than
/// `maxKnownElements` elements. Operators outside the default ONNX domain, and ONNX operators without a
/// rule here, get the declared type or an unknown one.
public enum ShapeInference {
    /// Largest tensor, in elements, whose contents inference evaluates and keeps.
    public static let maxKnownElements = 4096

    /// Types of every value that can be inferred: graph inputs, initializers, declared `value_info`, and the
    /// outputs of each node. Symbolic dimensions (a batch `N`) stay symbolic.
    public static func infer(_ graph: Graph) -> [String: TensorType] {
        inferTypesAndValues(graph).types
    }

    /// Types as `infer` returns them, plus the contents of the small tensors inference could evaluate.
    public static func inferTypesAndValues(_ graph: Graph) -> Result {
        var context = InferenceContext(graph: graph)
        for index in inferenceOrder(graph) {
            context.infer(graph.nodes[index])
        }
        return Result(types: context.types, values: context.values)
    }

    /// What inference found.
    public struct Result: Sendable {
        /// Element type and shape per value name.
        public var types: [String: TensorType]
        /// Contents of small tensors (at most `maxKnownElements` elements) whose elements inference knows,
        /// at least in part: initializers, constants and shape arithmetic.
        public var values: [String: KnownValue]
    }

    /// Node indices in dependency order, file order among ready nodes. Unlike `Graph.topologicalOrder()`
    /// it never fails: an input nothing produces counts as available (its type is just unknown), and
    /// nodes on or behind a cycle are left out.
    static func inferenceOrder(_ graph: Graph) -> [Int] {
        var producer: [String: Int] = [:]
        for (i, node) in graph.nodes.enumerated() {
            for output in node.outputs where !output.isEmpty && producer[output] == nil { producer[output] = i }
        }
        var pending = [Int](repeating: 0, count: graph.nodes.count)
        var consumers = [[Int]](repeating: [], count: graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() {
            for input in Set(node.inputs) where !input.isEmpty {
                guard let p = producer[input] else { continue }
                pending[i] += 1
                consumers[p].append(i)
            }
        }
        var ready = Heap(pending.indices.filter { pending[$0] == 0 })
        var order: [Int] = []
        while let i = ready.popMin() {
            order.append(i)
            for c in consumers[i] {
                pending[c] -= 1
                if pending[c] == 0 { ready.insert(c) }
            }
        }
        return order
    }
}

/// The contents of a small tensor as far as shape inference knows them.
public struct KnownValue: Hashable, Sendable {
    /// One element: a number, a symbolic dimension (an element of `Shape` of a symbolic tensor), or unknown.
    public enum Element: Hashable, Sendable {
        /// An integer (any integer or boolean element type).
        case int(Int)
        /// A floating-point number.
        case float(Double)
        /// A symbolic dimension, spelled as in `Dim.symbol` (`N`, `N*16`).
        case symbol(String)
        /// Inference does not know this element.
        case unknown

        /// The element as a dimension, if it is an integer or a symbol.
        public var dim: Dim? {
            switch self {
            case let .int(v): .value(v)
            case let .symbol(s): .symbol(s)
            case let .float(v): v.rounded() == v && abs(v) < 1e15 ? .value(Int(v)) : nil
            case .unknown: nil
            }
        }

        /// The element as an integer, if it is one (or a whole float).
        public var intValue: Int? { dim?.intValue }

        /// The element as a number, if it is one.
        public var doubleValue: Double? {
            switch self {
            case let .int(v): Double(v)
            case let .float(v): v
            case .symbol, .unknown: nil
            }
        }

        init(_ dim: Dim) {
            switch dim {
            case let .value(v): self = .int(v)
            case let .symbol(s): self = .symbol(s)
            }
        }
    }

    /// Shape of the tensor (its element count is at most `ShapeInference.maxKnownElements`).
    public var shape: [Int]
    /// Elements in row-major order.
    public var elements: [Element]

    /// A value of `shape` whose row-major elements are `elements` (one per element of the shape).
    public init(shape: [Int], elements: [Element]) {
        self.shape = shape
        self.elements = elements
    }

    /// True when no element is `.unknown`.
    public var isComplete: Bool { !elements.contains(.unknown) }
}

/// One dimension of a value's shape: a number, or a symbol such as a batch `N` that stays symbolic.
public enum Dim: Hashable, Sendable, CustomStringConvertible {
    case value(Int)
    case symbol(String)

    /// The number, if known.
    public var intValue: Int? { if case let .value(v) = self { v } else { nil } }

    /// `28`, or the symbol's name.
    public var description: String {
        switch self {
        case let .value(v): String(v)
        case let .symbol(s): s
        }
    }
}

extension Dim: Codable {
    /// Encodes as a JSON number, or a string for a symbol.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .value(v): try c.encode(v)
        case let .symbol(s): try c.encode(s)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int.self) { self = .value(v) } else { self = .symbol(try c.decode(String.self)) }
    }
}

/// Element type and shape of a value, each possibly unknown.
public struct TensorType: Hashable, Sendable {
    /// Element type, when known.
    public var dtype: DType?
    /// Shape, when the rank is known; a dimension may still be symbolic.
    public var shape: [Dim]?

    public init(dtype: DType? = nil, shape: [Dim]? = nil) {
        self.dtype = dtype
        self.shape = shape
    }

    /// The shape if every dimension is a number.
    public var concreteShape: [Int]? {
        guard let shape else { return nil }
        let ints = shape.compactMap(\.intValue)
        return ints.count == shape.count ? ints : nil
    }
}

/// A named value with what is known of its type: a graph input or output, or an annotated intermediate.
public struct ValueInfo: Hashable, Sendable {
    public var name: String
    public var type: TensorType

    public init(name: String, type: TensorType = TensorType()) {
        self.name = name
        self.type = type
    }
}

/// A node attribute, as ONNX defines them (Keras layers are converted into ONNX-style attributes).
public enum Attribute: Sendable, Equatable {
    case int(Int)
    case float(Float)
    case string(String)
    case ints([Int])
    case floats([Float])
    case strings([String])
    case tensor(Tensor)
    /// A kind Strata keeps but does not interpret (a subgraph, a sparse tensor, a type proto).
    case unsupported(kind: String)
}

/// One operation of the graph. `opType` and attribute names are ONNX's; `domain` is `""` for the
/// default ONNX domain. An empty string in `inputs` is an omitted optional input.
public struct Node: Sendable, Equatable {
    /// The node's one reference: copying a node (the executor hands one to every kernel) retains one object, not
    /// six strings, arrays and dictionaries.
    private final class Storage: @unchecked Sendable {
        var name: String
        var opType: String
        var domain: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [String: Attribute]

        init(name: String, opType: String, domain: String, inputs: [String], outputs: [String],
             attributes: [String: Attribute]) {
            self.name = name
            self.opType = opType
            self.domain = domain
            self.inputs = inputs
            self.outputs = outputs
            self.attributes = attributes
        }

        func copy() -> Storage {
            Storage(name: name, opType: opType, domain: domain, inputs: inputs, outputs: outputs, attributes: attributes)
        }
    }

    private var storage: Storage

    public var name: String {
        get { storage.name }
        _modify { yield &unique.name }
    }
    public var opType: String {
        get { storage.opType }
        _modify { yield &unique.opType }
    }
    public var domain: String {
        get { storage.domain }
        _modify { yield &unique.domain }
    }
    public var inputs: [String] {
        get { storage.inputs }
        _modify { yield &unique.inputs }
    }
    public var outputs: [String] {
        get { storage.outputs }
        _modify { yield &unique.outputs }
    }
    public var attributes: [String: Attribute] {
        get { storage.attributes }
        _modify { yield &unique.attributes }
    }

    public init(name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
                attributes: [String: Attribute] = [:]) {
        storage = Storage(name: name, opType: opType, domain: domain, inputs: inputs, outputs: outputs,
                          attributes: attributes)
    }

    /// The storage, copied first when another node shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public static func == (a: Node, b: Node) -> Bool {
        a.storage === b.storage
            || (a.name == b.name && a.opType == b.opType && a.domain == b.domain && a.inputs == b.inputs
                && a.outputs == b.outputs && a.attributes == b.attributes)
    }
}

/// What users see as one layer: one ONNX node, or one Keras layer (which may run as several nodes).
public struct Layer: Sendable, Equatable {
    /// The source's name (ONNX node name, or the Keras layer name).
    public var name: String
    /// The source's operator or class name (`Conv`, `Conv2D`, ...).
    public var op: String
    /// Indices into `Graph.nodes` of the nodes that compute this layer, in execution order.
    public var nodes: [Int]
    /// Values the layer reads (graph values, not weights).
    public var inputs: [String]
    /// Values the layer produces, as the source names them.
    public var outputs: [String]
    /// Trainable and non-trainable parameter count, as the source framework counts it.
    public var params: Int
    /// Source layout of the outputs (`NCHW` for ONNX images, `NHWC` for Keras), used by dumps and views.
    public var layout: String
    /// Attributes worth showing (Keras config entries, or the ONNX node's attributes).
    public var attributes: [String: Attribute]

    public init(name: String, op: String, nodes: [Int], inputs: [String], outputs: [String], params: Int,
                layout: String, attributes: [String: Attribute] = [:]) {
        self.name = name
        self.op = op
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.params = params
        self.layout = layout
        self.attributes = attributes
    }
}

/// A computation graph: nodes over named values, with weights as initializers.
public struct Graph: Sendable {
    public var name: String
    /// Nodes in file order (call `topologicalOrder()` for execution order).
    public var nodes: [Node]
    /// Inputs the caller provides (initializers are not listed here).
    public var inputs: [ValueInfo]
    public var outputs: [ValueInfo]
    /// Constant tensors (weights) by value name.
    public var initializers: [String: Tensor]
    /// Types the file declares for intermediate values.
    public var valueInfo: [String: ValueInfo]
    /// How the nodes group into user-visible layers, in topological order.
    public var layers: [Layer]
    /// Operator set version per domain (`""` is the default ONNX domain).
    public var opsets: [String: Int]

    public init(name: String, nodes: [Node] = [], inputs: [ValueInfo] = [], outputs: [ValueInfo] = [],
                initializers: [String: Tensor] = [:], valueInfo: [String: ValueInfo] = [:], layers: [Layer] = [],
                opsets: [String: Int] = ["": 13]) {
        self.name = name
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = initializers
        self.valueInfo = valueInfo
        self.layers = layers
        self.opsets = opsets
    }

    /// The opset version of the default ONNX domain.
    public var opset: Int { opsets[""] ?? opsets["ai.onnx"] ?? 13 }
}

/// The source format of a model.
public enum ModelFormat: String, Sendable, Codable {
    case onnx = "ONNX"
    case kerasH5 = "Keras HDF5"
    case kerasArchive = "Keras archive"
}

/// A loaded model: its graph plus where it came from.
public struct Model: Sendable {
    public var graph: Graph
    public var format: ModelFormat
    /// Path of the file it was loaded from.
    public var path: String
    /// Free-form facts from the file (producer, version, ...), shown by `inspect`.
    public var metadata: [String: String]

    public init(graph: Graph, format: ModelFormat, path: String, metadata: [String: String] = [:]) {
        self.graph = graph
        self.format = format
        self.path = path
        self.metadata = metadata
    }
}

import StrataCore

/// What a scene item draws. Cell conventions (shared by renderer and `hitTest`): column x runs along +x from
/// the box's min.x; row y runs down from max.y (row 0 at the top) for slabs and voxels, and along +z from
/// min.z for height fields; channels run from the front (max.z) towards -z in stacks, voxels and bars.
public enum SceneItemKind: String, Sendable, Codable, CaseIterable {
    /// A closed layer: a box sized by its output shape, coloured by its op category.
    case block
    /// One channel of a feature map as a flat rectangle of W×H cells (in the x-y plane, facing +z).
    case slab
    /// One channel as a surface over the box's x-z footprint: a cell's top is at
    /// `min.y + clamp((v - lo) / (hi - lo), 0, 1) * size.y`.
    case heightfield
    /// C×H×W cells of a feature map as cubes; each cube stands for `step` (W, H, C) elements (the first
    /// element of each block is its value). Cell counts are `ceil(W / step[0])`, ... .
    case voxels
    /// A connection between layers: a polyline in `points`.
    case edge
    /// Text in `text`, centred at `position`, `size.y` high, facing +z.
    case label
    /// A vector as a row of C bars, element 0 at the front (max.z); a bar's height is
    /// `clamp((v - lo) / (hi - lo), 0, 1) * size.y` from min.y.
    case bars
}

/// The broad kind of an operator; it picks a block's colour.
public enum OpCategory: String, Sendable, Codable, CaseIterable {
    case input, output, convolution, pooling, activation, normalization, dense, elementwise, reshape, softmax, other

    /// The category of an ONNX or Keras operator name.
    public static func of(op: String) -> OpCategory {
        let o = op.lowercased()
        if o.contains("conv") { return .convolution }
        if o.contains("pool") { return .pooling }
        if o.contains("softmax") { return .softmax }
        if o.contains("norm") || o == "lrn" { return .normalization }
        if ["gemm", "matmul", "dense", "linear"].contains(o) { return .dense }
        if [
            "relu", "sigmoid", "tanh", "leakyrelu", "elu", "selu", "prelu", "clip", "hardsigmoid", "hardswish",
            "gelu", "softplus", "softsign", "activation", "relu6", "mish", "swish", "celu", "thresholdedrelu",
        ]
        .contains(o) {
            return .activation
        }
        if [
            "add", "sub", "mul", "div", "pow", "sqrt", "exp", "log", "abs", "neg", "max", "min", "sum", "mean",
            "concatenate", "multiply", "subtract", "average", "maximum", "minimum",
        ].contains(o) {
            return .elementwise
        }
        if [
            "reshape", "flatten", "transpose", "concat", "squeeze", "unsqueeze", "slice", "gather", "shape", "cast",
            "pad", "resize", "upsample", "split", "identity", "dropout", "zeropadding2d", "cropping2d",
            "upsampling2d", "permute", "expand", "tile", "constant", "constantofshape", "inputlayer",
        ].contains(o) {
            return .reshape
        }
        return .other
    }

    /// The block colour of this category (linear RGB in 0...1).
    public var color: RGB {
        switch self {
        case .input: RGB(0.55, 0.60, 0.66)
        case .output: RGB(0.80, 0.80, 0.84)
        case .convolution: RGB(0.25, 0.52, 0.85)
        case .pooling: RGB(0.30, 0.72, 0.55)
        case .activation: RGB(0.92, 0.55, 0.22)
        case .normalization: RGB(0.62, 0.45, 0.80)
        case .dense: RGB(0.85, 0.32, 0.38)
        case .elementwise: RGB(0.85, 0.75, 0.30)
        case .reshape: RGB(0.50, 0.52, 0.55)
        case .softmax: RGB(0.90, 0.40, 0.65)
        case .other: RGB(0.60, 0.60, 0.60)
        }
    }
}

/// An RGB colour, each component in 0...1. Encodes as a JSON array `[r, g, b]`.
public struct RGB: Sendable, Equatable, Hashable {
    public var r: Float
    public var g: Float
    public var b: Float

    public init(_ r: Float, _ g: Float, _ b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// A colour from 8-bit components.
    public init(bytes r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.init(Float(r) / 255, Float(g) / 255, Float(b) / 255)
    }

    /// The 8-bit components, rounded.
    public var bytes: (UInt8, UInt8, UInt8) {
        func q(_ v: Float) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
        return (q(r), q(g), q(b))
    }
}

extension RGB: Codable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(r)
        try c.encode(g)
        try c.encode(b)
    }

    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(try c.decode(Float.self), try c.decode(Float.self), try c.decode(Float.self))
    }
}

/// A cell of a feature map: `x` along W (columns), `y` along H (rows, row 0 at the top).
public struct Cell: Sendable, Equatable, Hashable, Codable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// One thing to draw. Positions are centres and sizes full extents, in scene units (+x is the pipeline axis,
/// +y up, +z towards the default camera).
public struct SceneItem: Sendable, Equatable, Codable {
    public var kind: SceneItemKind
    /// The layer (as `Graph.layers` names it) this item belongs to; for an edge, the consumer layer.
    public var layer: String
    /// The value (tensor name in the source model) the item shows, if any.
    public var value: String?
    /// For slabs, height fields of one channel and bars: the channel (first channel for ranges).
    public var channel: Int?
    /// Centre of the item's bounding box.
    public var position: Vec3
    /// Full extent of the item's bounding box.
    public var size: Vec3
    /// Blocks and edges: their colour.
    public var color: RGB?
    /// Blocks: the op category that picked the colour.
    public var category: OpCategory?
    /// Blocks: the source's operator name (`Conv`, `Conv2D`, ...).
    public var op: String?
    /// Blocks: the output shape as the source names it, when known.
    public var shape: [Int]?
    /// Labels: the text.
    public var text: String?
    /// Edges: the polyline from producer to consumer.
    public var points: [Vec3]?
    /// Tensor-backed items (slab, heightfield, voxels, bars): what to read from the trace and how to colour it.
    public var tensor: TensorRef?

    public init(
        kind: SceneItemKind, layer: String, value: String? = nil, channel: Int? = nil, position: Vec3,
        size: Vec3, color: RGB? = nil, category: OpCategory? = nil, op: String? = nil, shape: [Int]? = nil,
        text: String? = nil, points: [Vec3]? = nil, tensor: TensorRef? = nil
    ) {
        self.kind = kind
        self.layer = layer
        self.value = value
        self.channel = channel
        self.position = position
        self.size = size
        self.color = color
        self.category = category
        self.op = op
        self.shape = shape
        self.text = text
        self.points = points
        self.tensor = tensor
    }

    /// The item's bounding box.
    public var bounds: AABB { AABB(center: position, size: size) }
}

/// The whole picture: plain data that any renderer can draw and `hitTest` can pick from.
public struct Scene: Sendable, Equatable, Codable {
    /// Items in drawing order: each layer's block or feature maps and label together, then the edges.
    public var items: [SceneItem] { didSet { pickGroups = Scene.groups(of: items) } }
    /// The camera, framed on `bounds` when built.
    public var camera: Camera
    /// Bounding box of every item.
    public var bounds: AABB
    /// The view state the scene was built from.
    public var viewState: ViewState
    /// Runs of pickable items of one layer with their joint box: the hit test's prefilter.
    private(set) var pickGroups: [PickGroup]

    public init(items: [SceneItem], camera: Camera, bounds: AABB, viewState: ViewState = ViewState()) {
        self.items = items
        self.camera = camera
        self.bounds = bounds
        self.viewState = viewState
        pickGroups = Scene.groups(of: items)
    }

    enum CodingKeys: String, CodingKey { case items, camera, bounds, viewState }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            items: try c.decode([SceneItem].self, forKey: .items), camera: try c.decode(Camera.self, forKey: .camera),
            bounds: try c.decode(AABB.self, forKey: .bounds),
            viewState: try c.decode(ViewState.self, forKey: .viewState))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(camera, forKey: .camera)
        try c.encode(bounds, forKey: .bounds)
        try c.encode(viewState, forKey: .viewState)
    }

    public static func == (a: Scene, b: Scene) -> Bool {
        a.items == b.items && a.camera == b.camera && a.bounds == b.bounds && a.viewState == b.viewState
    }

    /// Index of the block (or first item) of `layer`.
    public func firstItem(ofLayer layer: String) -> Int? { items.firstIndex { $0.layer == layer } }
}

/// A contiguous run of pickable items and the box around them.
struct PickGroup: Sendable {
    var range: Range<Int>
    var bounds: AABB
}

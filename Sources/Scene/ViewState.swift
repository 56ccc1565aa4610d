/// How an expanded layer shows its feature maps.
public enum ViewMode: String, Sendable, Codable, CaseIterable {
    /// C slabs in a near-square grid.
    case grid
    /// C slabs stacked in depth (+z).
    case stack
    /// A channel (or each channel) as a surface whose height is the value.
    case heightfield
    /// C×H×W cells as cubes, downsampled beyond `ViewState.voxelBudget`.
    case voxels
    /// Slabs annotated with their numbers where cells are large enough.
    case values
    /// Bars (the view of vectors).
    case bars
}

/// Which values span a colormap's range.
public enum RangeMode: String, Sendable, Codable, CaseIterable {
    /// Each channel from its own min to max.
    case channel
    /// Every channel of a layer shares the layer's min and max (default).
    case layer
    /// One range over every recorded tensor shown.
    case global
}

/// What the user has picked: a layer, and possibly a channel and cell of it.
public struct Selection: Sendable, Equatable, Codable {
    public var layer: String
    public var channel: Int?
    public var cell: Cell?

    public init(layer: String, channel: Int? = nil, cell: Cell? = nil) {
        self.layer = layer
        self.channel = channel
        self.cell = cell
    }
}

/// The user's choices that shape the scene: which layers are open and how they are drawn.
public struct ViewState: Sendable, Equatable, Codable {
    /// Names of expanded layers (as `Graph.layers` names them).
    public var expanded: Set<String>
    /// View mode of expanded layers.
    public var mode: ViewMode
    /// Per-layer view modes that override `mode`.
    public var modeOverrides: [String: ViewMode]
    /// Colormap of tensor-backed items.
    public var colormap: ColormapName
    /// Which values span the colormap.
    public var rangeMode: RangeMode
    /// The selected layer, channel, cell.
    public var selection: Selection?
    /// Show shape-only subgraphs (Shape → Gather → … → Reshape, Constants) instead of folding them.
    public var showShapeSubgraphs: Bool
    /// The channel a height field shows; nil shows every channel.
    public var heightfieldChannel: Int?
    /// Most voxel cells per layer before downsampling.
    public var voxelBudget: Int
    /// Most cells per layer for which `values` mode writes numbers.
    public var valueLabelBudget: Int

    public init(
        expanded: Set<String> = [], mode: ViewMode = .grid, modeOverrides: [String: ViewMode] = [:],
        colormap: ColormapName = .standard, rangeMode: RangeMode = .layer, selection: Selection? = nil,
        showShapeSubgraphs: Bool = false, heightfieldChannel: Int? = nil, voxelBudget: Int = 32_768,
        valueLabelBudget: Int = 1_024
    ) {
        self.expanded = expanded
        self.mode = mode
        self.modeOverrides = modeOverrides
        self.colormap = colormap
        self.rangeMode = rangeMode
        self.selection = selection
        self.showShapeSubgraphs = showShapeSubgraphs
        self.heightfieldChannel = heightfieldChannel
        self.voxelBudget = voxelBudget
        self.valueLabelBudget = valueLabelBudget
    }

    /// The view mode of `layer`.
    public func mode(of layer: String) -> ViewMode { modeOverrides[layer] ?? mode }
}

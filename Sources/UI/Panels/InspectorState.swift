import Scene

/// The inspector's views of the selected layer.
public enum InspectorTab: String, Sendable, CaseIterable {
    case summary = "Summary"
    case heatMap = "Heat map"
    case table = "Table"
}

/// What the inspector keeps between frames (the caller owns it): the tab, the channel shown, the heat map's
/// zoom and pan, the table's first row and column. It follows the scene's selection: a new layer resets
/// the views, a channel picked in the scene becomes the channel shown. Stepping channels keeps zoom and pan,
/// to compare channels cell by cell.
public struct InspectorState: Sendable, Equatable {
    public var tab: InspectorTab = .summary
    /// The channel the heat map and table show.
    public var channel = 0
    /// Heat-map zoom: 0 fits the whole map, each step halves the cells shown (`HeatMapWindow`).
    public var zoom = 0
    /// Heat-map pan: the first column and row shown, in cells (fractions while dragging).
    public var originX: Float = 0
    public var originY: Float = 0
    /// The table's first row and first column shown.
    public var firstRow = 0
    public var firstColumn = 0
    /// Where a pan drag started: pointer and origin.
    var drag: PanDrag?
    /// The selection the state last followed.
    public private(set) var followed: Selection?

    struct PanDrag: Sendable, Equatable {
        var mouseX, mouseY, originX, originY: Float
    }

    public init(tab: InspectorTab = .summary) { self.tab = tab }

    /// Follows the scene's selection: another layer resets channel, zoom, pan and table position; a channel
    /// picked in the scene (a slab clicked) becomes the channel shown. True when something changed.
    @discardableResult
    public mutating func follow(_ selection: Selection?) -> Bool {
        guard selection != followed else { return false }
        defer { followed = selection }
        if selection?.layer != followed?.layer {
            resetViews()
            channel = selection?.channel ?? 0
            return true
        }
        if let c = selection?.channel, c != followed?.channel { channel = c }
        return true
    }

    /// Moves the channel shown by `delta` within `0..<count`; true when it changed.
    @discardableResult
    public mutating func stepChannel(by delta: Int, count: Int) -> Bool {
        let next = min(max(channel + delta, 0), max(count - 1, 0))
        guard next != channel else { return false }
        channel = next
        return true
    }

    /// Keeps the channel inside `0..<count` (a re-run can change the shape).
    public mutating func clampChannel(count: Int) {
        channel = min(max(channel, 0), max(count - 1, 0))
    }

    private mutating func resetViews() {
        zoom = 0
        originX = 0
        originY = 0
        firstRow = 0
        firstColumn = 0
        drag = nil
    }
}

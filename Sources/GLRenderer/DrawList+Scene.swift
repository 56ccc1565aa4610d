import Foundation
import Scene

extension DrawList {
    /// Smallest em height of a layer label on screen, in pixels.
    static let labelMinPixels: Float = 13

    /// Most bars drawn for one vector; longer vectors show every k-th element.
    static let barBudget = 2048

    /// The draw list of `scene` seen through its camera in a `width`×`height` viewport.
    init(scene: Scene, width: Int, height: Int, atlas: GlyphAtlas) {
        let camera = scene.camera
        let aspect = Float(width) / Float(max(height, 1))
        let clip = camera.clipRange
        let projection = Mat4.perspective(fovY: camera.fovY, aspect: aspect, near: clip.near, far: clip.far)
        let view = View(viewProjection: projection * camera.viewMatrix, position: SIMD3(camera.eye),
                        right: SIMD3(camera.right), up: SIMD3(camera.up),
                        viewport: SIMD2(Float(width), Float(height)),
                        focalPixels: Float(height) / 2 / tan(camera.fovY / 2))
        let colormap = Colormap.named(scene.viewState.colormap)
        self.init(view: view, colormapName: colormap.name.rawValue, colormapTable: colormap.rgba8)
        nanColor = SIMD3(colormap.nan)
        positiveInfinityColor = SIMD3(colormap.positiveInfinity)
        negativeInfinityColor = SIMD3(colormap.negativeInfinity)
        var builder = MapGroupBuilder()
        var labels = LabelPlacement(view: view)
        let selection = scene.viewState.selection
        for item in scene.items {
            switch item.kind {
            case .block: addBlock(item, selected: selection?.layer == item.layer && selection?.channel == nil)
            case .slab: builder.addSlab(item, selected: Self.isSelected(item, selection), cell: Self.selectedCell(item, selection))
            case .heightfield: builder.addHeightfield(item)
            case .voxels: addVoxels(item)
            case .bars: addBars(item, selection: selection)
            case .edge: addEdge(item)
            case .label: Self.addLabel(item, state: scene.viewState, atlas: atlas, to: &labels)
            }
        }
        slabs = builder.slabs
        heightfields = builder.heightfields
        text = labels.place(atlas: atlas, color: SIMD4(0.93, 0.95, 0.98, 1))
    }

    /// A selected layer highlights all its maps; a selected channel only its own.
    private static func isSelected(_ item: SceneItem, _ selection: Selection?) -> Bool {
        guard let selection, selection.layer == item.layer else { return false }
        guard let channel = selection.channel else { return true }
        return channel == item.tensor?.channel
    }

    private static func selectedCell(_ item: SceneItem, _ selection: Selection?) -> Cell? {
        guard let selection, let cell = selection.cell, selection.channel != nil, isSelected(item, selection) else {
            return nil
        }
        return cell
    }

    private mutating func addBlock(_ item: SceneItem, selected: Bool) {
        let c = item.color ?? item.category?.color ?? RGB(0.6, 0.6, 0.6)
        blocks += [item.position.x, item.position.y, item.position.z, item.size.x, item.size.y, item.size.z,
                   c.r, c.g, c.b, selected ? 1 : 0]
    }

    private mutating func addEdge(_ item: SceneItem) {
        guard let points = item.points, points.count >= 2 else { return }
        let c = item.color ?? RGB(0.62, 0.66, 0.72)
        for (a, b) in zip(points, points.dropFirst()) {
            lines += [a.x, a.y, a.z, b.x, b.y, b.z, c.r, c.g, c.b, 0.9]
        }
    }

    /// Layer labels face the camera and stay legible from afar (the selected and open layers' first when
    /// labels compete for room); cell values (labels with a channel) lie on their slab, one size for all
    /// numbers of a cell size.
    private static func addLabel(_ item: SceneItem, state: ViewState, atlas: GlyphAtlas,
                                 to labels: inout LabelPlacement) {
        guard let text = item.text, !text.isEmpty else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let isValue = item.channel != nil
        var em = item.size.y > 0 ? item.size.y / (Float(lines.count) * atlas.lineHeight) : 0.25
        if isValue { em = item.size.y * 0.42 }
        // Numbers fit their cell as a typical "0.123" would, so short ones do not come out larger.
        let widest = max(lines.map { atlas.width(of: $0) }.max() ?? 0, isValue ? 3.0 : 0)
        if item.size.x > 0, widest > 0 { em = min(em, item.size.x * 0.92 / widest) }
        let priority = state.selection?.layer == item.layer ? 2 : (state.expanded.contains(item.layer) ? 1 : 0)
        labels.add(LabelPlacement.Candidate(text: text, anchor: SIMD3(item.position), em: em,
                                            minPixels: isValue ? 0 : labelMinPixels, planar: isValue,
                                            priority: priority))
    }
}

/// The texture layout of a tensor shown as maps: C layers of H×W (batch 0).
func mapLayout(_ ref: TensorRef) -> MapLayout {
    MapLayout(channels: ref.channels, height: ref.height, width: ref.width, channelsLast: ref.layout == .nhwc)
}

/// The texture layout of a tensor shown as one long vector: its first C·H·W elements in rows of ≤ 4096.
func vectorLayout(_ ref: TensorRef) -> MapLayout {
    let n = max(ref.channels * ref.height * ref.width, 1)
    let width = min(n, 4096)
    return MapLayout(channels: 1, height: (n + width - 1) / width, width: width)
}

/// Collects slab and height-field instances into one group per (value, layout).
struct MapGroupBuilder {
    private(set) var slabs: [DrawList.MapGroup] = []
    private(set) var heightfields: [DrawList.MapGroup] = []

    mutating func addSlab(_ item: SceneItem, selected: Bool, cell: Cell?) {
        guard let ref = item.tensor else { return }
        let p = item.position, s = item.size
        let values: [Float] = [p.x, p.y, p.z, s.x, 0, 0, 0, s.y, 0,
                               Float(ref.channel), ref.lo, ref.hi, selected ? 1 : 0,
                               Float(cell?.x ?? -1), Float(cell?.y ?? -1)]
        Self.append(values, ref, to: &slabs)
    }

    mutating func addHeightfield(_ item: SceneItem) {
        guard let ref = item.tensor else { return }
        let p = item.position, s = item.size
        let floor = p.y - s.y / 2
        let values: [Float] = [p.x, floor, p.z, s.x, 0, 0, 0, 0, -s.z,
                               Float(ref.channel), ref.lo, ref.hi, s.y, 0, 1, 0]
        Self.append(values, ref, to: &heightfields)
    }

    private static func append(_ values: [Float], _ ref: TensorRef, to groups: inout [DrawList.MapGroup]) {
        let layout = mapLayout(ref)
        if let last = groups.indices.last, groups[last].value == ref.value, groups[last].layout == layout {
            groups[last].instances += values
        } else {
            groups.append(DrawList.MapGroup(value: ref.value, layout: layout, instances: values))
        }
    }
}

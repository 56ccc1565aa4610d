import StrataCore

/// What a ray hit: the front-most pickable item, and for feature maps the channel, cell and value.
public struct Hit: Sendable, Equatable, Codable {
    /// Index into `Scene.items`.
    public var itemIndex: Int
    public var kind: SceneItemKind
    public var layer: String
    public var value: String?
    /// The channel hit (slab, height field, voxel, bar).
    public var channel: Int?
    /// The cell hit: (x, y) of the feature map (bars: x is 0, y is 0; voxels: x, y of the cell's first element).
    public var cell: Cell?
    /// The value at that channel and cell, when activations are available.
    public var cellValue: Float?
    /// Distance along the ray.
    public var distance: Float
    /// World position of the hit.
    public var point: Vec3
}

extension Scene {
    /// Kinds a ray can pick (edges and labels are not picked).
    static func isPickable(_ kind: SceneItemKind) -> Bool { kind != .edge && kind != .label }

    static func groups(of items: [SceneItem]) -> [PickGroup] {
        var groups: [PickGroup] = []
        var i = 0
        while i < items.count {
            guard isPickable(items[i].kind) else {
                i += 1
                continue
            }
            var j = i
            var box = AABB.empty
            while j < items.count, items[j].layer == items[i].layer, isPickable(items[j].kind) {
                box = box.union(items[j].bounds)
                j += 1
            }
            groups.append(PickGroup(range: i..<j, bounds: box))
            i = j
        }
        return groups
    }

    /// The front-most item `ray` hits, with the cell and value under it. `activations` supplies the value
    /// (and, for height fields, the surface); without it the hit has no `cellValue`.
    public func hitTest(_ ray: Ray, activations: (any ActivationSource)? = nil) -> Hit? {
        var best: (index: Int, t: Float)?
        for group in pickGroups {
            guard let tg = group.bounds.intersect(ray), tg < (best?.t ?? .infinity) else { continue }
            for i in group.range {
                guard let t = surfaceDistance(items[i], ray: ray, activations: activations), t < (best?.t ?? .infinity)
                else {
                    continue
                }
                best = (i, t)
            }
        }
        guard let best else { return nil }
        return makeHit(index: best.index, t: best.t, ray: ray, activations: activations)
    }

    /// Where the ray meets the item: its box, or for a height field with activations, its surface.
    private func surfaceDistance(_ item: SceneItem, ray: Ray, activations: (any ActivationSource)?) -> Float? {
        guard let t = item.bounds.intersect(ray) else { return nil }
        guard item.kind == .heightfield, let ref = item.tensor, let tensor = activations?.tensor(named: ref.value)
        else {
            return t
        }
        return HeightfieldMarch.distance(item: item, ref: ref, tensor: tensor, ray: ray, entry: t)
    }

    private func makeHit(index: Int, t: Float, ray: Ray, activations: (any ActivationSource)?) -> Hit {
        let item = items[index]
        let p = ray.at(t)
        var hit = Hit(
            itemIndex: index, kind: item.kind, layer: item.layer, value: item.value, channel: item.channel,
            cell: nil, cellValue: nil, distance: t, point: p)
        guard let ref = item.tensor else { return hit }
        let b = item.bounds
        func frac(_ axis: Int) -> Float { (p[axis] - b.min[axis]) / max(b.max[axis] - b.min[axis], 1e-9) }
        func bin(_ f: Float, _ n: Int) -> Int { cellIndex(f * Float(n), count: n) }
        var channel = item.channel ?? ref.channel
        var cell = Cell(x: 0, y: 0)
        switch item.kind {
        case .slab:
            cell = Cell(x: bin(frac(0), ref.width), y: bin(1 - frac(1), ref.height))
        case .heightfield:
            cell = Cell(x: bin(frac(0), ref.width), y: bin(frac(2), ref.height))
        case .voxels:
            let n = (0..<3).map { (([ref.width, ref.height, ref.channelCount][$0]) + ref.step[$0] - 1) / ref.step[$0] }
            cell = Cell(x: bin(frac(0), n[0]) * ref.step[0], y: bin(1 - frac(1), n[1]) * ref.step[1])
            channel = ref.channel + bin(1 - frac(2), n[2]) * ref.step[2]
        case .bars:
            channel = ref.channel + bin(1 - frac(2), ref.channelCount)
        default:
            break
        }
        hit.channel = channel
        hit.cell = cell
        if let tensor = activations?.tensor(named: ref.value) {
            hit.cellValue = ref.value(in: tensor, channel: channel, x: cell.x, y: cell.y)
        }
        return hit
    }
}

/// Ray marching over a height field's surface: cell (x, y) spans the box's x and z; its top is at
/// `min.y + t * size.y` where t is the value's position in the item's range, clamped to 0...1.
enum HeightfieldMarch {
    static func distance(item: SceneItem, ref: TensorRef, tensor: Tensor, ray: Ray, entry: Float) -> Float? {
        let b = item.bounds
        let exit = exitDistance(b, ray) ?? entry
        let cellSize = min(b.size.x / Float(ref.width), b.size.z / Float(ref.height))
        let wanted = (exit - entry) / max(cellSize * 0.25, 1e-6)
        let steps = wanted.isFinite ? Int(min(max(wanted, 1), 4095)) + 1 : 2
        let span = max(ref.hi - ref.lo, 1e-12)
        func below(_ t: Float) -> Bool {
            let p = ray.at(t)
            let x = cellIndex((p.x - b.min.x) / b.size.x * Float(ref.width), count: ref.width)
            let y = cellIndex((p.z - b.min.z) / b.size.z * Float(ref.height), count: ref.height)
            let v = ref.value(in: tensor, channel: item.channel ?? ref.channel, x: x, y: y) ?? ref.lo
            return p.y <= b.min.y + (v.isFinite ? min(max((v - ref.lo) / span, 0), 1) : 0) * b.size.y + 1e-5
        }
        var previous = entry
        for k in 0...steps {
            let t = entry + (exit - entry) * Float(k) / Float(steps)
            guard below(t) else {
                previous = t
                continue
            }
            guard k > 0 else { return t }
            // Bisect the last step so the hit lands on the surface, not a step below it.
            var (lo, hi) = (previous, t)
            for _ in 0..<16 {
                let mid = (lo + hi) / 2
                if below(mid) { hi = mid } else { lo = mid }
            }
            return hi
        }
        return nil
    }

    /// Distance where the ray leaves the box.
    static func exitDistance(_ b: AABB, _ ray: Ray) -> Float? {
        var t1 = Float.infinity
        for axis in 0..<3 {
            let d = ray.direction[axis]
            guard abs(d) > 1e-12 else { continue }
            let a = (b.min[axis] - ray.origin[axis]) / d
            let c = (b.max[axis] - ray.origin[axis]) / d
            t1 = min(t1, max(a, c))
        }
        return t1.isFinite ? t1 : nil
    }
}

/// `Int(position)` clamped to `0..<count`; 0 for NaN.
func cellIndex(_ position: Float, count: Int) -> Int {
    guard position.isFinite else { return position == .infinity ? max(count - 1, 0) : 0 }
    if position <= 0 { return 0 }
    return position >= Float(count) ? max(count - 1, 0) : min(Int(position), count - 1)
}

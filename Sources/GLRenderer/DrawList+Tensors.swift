import Scene

extension DrawList {
    /// Voxels hide cells whose magnitude is below this fraction of the range's largest magnitude.
    static let voxelThreshold: Float = 0.05

    /// A voxel stack: the item's box holds W×H×C cells (x along W, y down the rows, z back through the
    /// channels from the front face), each covering `step` texels.
    mutating func addVoxels(_ item: SceneItem) {
        guard let ref = item.tensor else { return }
        let step = (0..<3).map { max(ref.step.indices.contains($0) ? ref.step[$0] : 1, 1) }
        let channels = max(min(ref.channelCount, ref.channels - ref.channel), 0)
        let grid = SIMD3<Int32>(Int32((ref.width + step[0] - 1) / step[0]), Int32((ref.height + step[1] - 1) / step[1]),
                                Int32((channels + step[2] - 1) / step[2]))
        guard grid.x > 0, grid.y > 0, grid.z > 0 else { return }
        let box = item.bounds
        let dx = item.size.x / Float(grid.x), dy = item.size.y / Float(grid.y), dz = item.size.z / Float(grid.z)
        let origin = SIMD3<Float>(box.min.x + dx / 2, box.max.y - dy / 2, box.max.z - dz / 2)
        voxels.append(VoxelDraw(
            value: ref.value, layout: mapLayout(ref), stride: SIMD3(Int32(step[0]), Int32(step[1]), Int32(step[2])),
            grid: grid, firstChannel: ref.channel, origin: origin, stepX: SIMD3(dx, 0, 0), stepY: SIMD3(0, -dy, 0), stepC: SIMD3(0, 0, -dz),
            range: SIMD2(ref.lo, ref.hi), threshold: Self.voxelThreshold))
    }

    /// A bar chart: elements `channel ..< channel + channelCount` as bars in a row from the front (+z, element
    /// 0, as picking reads it) to the back, rising along +y from the bottom of the item's box; the highest
    /// value of the range reaches its top.
    mutating func addBars(_ item: SceneItem, selection: Selection?) {
        guard let ref = item.tensor else { return }
        let layout = vectorLayout(ref)
        let total = layout.count
        let start = min(max(ref.channel, 0), total)
        let count = min(max(ref.channelCount, 0), total - start)
        guard count > 0 else { return }
        let stride = (count + Self.barBudget - 1) / Self.barBudget
        let bars = (count + stride - 1) / stride
        let box = item.bounds
        let dz = item.size.z / Float(bars)
        var selected = -1
        if let selection, selection.layer == item.layer, let channel = selection.channel { selected = channel }
        self.bars.append(BarDraw(
            value: ref.value, layout: layout, layer: 0, start: start, count: bars, strideElements: stride,
            origin: SIMD3(item.position.x, box.min.y, box.max.z - dz / 2), step: SIMD3(0, 0, -dz), up: SIMD3(0, 1, 0),
            depth: SIMD3(item.size.x, 0, 0), height: item.size.y, range: SIMD2(ref.lo, ref.hi), selected: selected))
    }
}

import Scene

/// Everything one frame draws, as flat instance data ready for upload: the bridge between a `Scene`
/// (plain values, no GL) and the GL passes. Building it needs no context.
struct DrawList {
    /// Camera matrices and axes for this frame.
    struct View {
        var viewProjection: Mat4
        var position: SIMD3<Float>
        var right: SIMD3<Float>
        var up: SIMD3<Float>
        var viewport: SIMD2<Float>
        /// Pixels per world unit at distance 1 (the projection's focal length in pixels).
        var focalPixels: Float
    }

    /// Slabs (or height fields) of one activation: one instanced draw.
    struct MapGroup {
        var value: String
        var layout: MapLayout
        /// Slabs: 15 floats each (centre, right, up, [layer, min, max, selected], selected cell x, y).
        /// Height fields: 16 floats each (centre, right, up, [layer, min, max, height], normal).
        var instances: [Float]
    }

    /// A voxel stack of one activation: one instanced draw of `grid` cubes.
    struct VoxelDraw {
        var value: String
        var layout: MapLayout
        var stride: SIMD3<Int32>
        var grid: SIMD3<Int32>
        var firstChannel: Int
        var origin: SIMD3<Float>
        var stepX: SIMD3<Float>, stepY: SIMD3<Float>, stepC: SIMD3<Float>
        var range: SIMD2<Float>
        var threshold: Float
        var instanceCount: Int { Int(grid.x) * Int(grid.y) * Int(grid.z) }
    }

    /// A bar chart of one channel (or vector) of an activation.
    struct BarDraw {
        var value: String
        var layout: MapLayout
        var layer: Int
        var start: Int
        var count: Int
        var strideElements: Int
        var origin: SIMD3<Float>
        var step: SIMD3<Float>
        var up: SIMD3<Float>
        var depth: SIMD3<Float>
        var height: Float
        var range: SIMD2<Float>
        var selected: Int
    }

    var view: View
    /// Colormap lookup table (256 RGBA entries) and its name, the cache key.
    var colormapName: String
    var colormapTable: [UInt8]
    /// Colours of NaN, +Inf and -Inf.
    var nanColor = SIMD3<Float>(0, 0.85, 0.25)
    var positiveInfinityColor = SIMD3<Float>(1, 1, 1)
    var negativeInfinityColor = SIMD3<Float>(0, 0, 0)
    /// Blocks: 10 floats each (centre, size, rgb + selected flag).
    var blocks: [Float] = []
    var slabs: [MapGroup] = []
    var heightfields: [MapGroup] = []
    var voxels: [VoxelDraw] = []
    var bars: [BarDraw] = []
    /// Segments: 10 floats each (start, end, rgba).
    var lines: [Float] = []
    var lineWidth: Float = 2
    var text = TextBatch()
}

extension SIMD3 where Scalar == Float {
    init(_ v: Vec3) { self.init(v.x, v.y, v.z) }
    init(_ c: RGB) { self.init(c.r, c.g, c.b) }
}

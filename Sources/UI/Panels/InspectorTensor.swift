import Scene
import StrataCore

/// One channel of a layer's activation as the inspector's heat map and table show it: plain values, so the
/// views are built and tested without a document.
public struct InspectorTensor: Sendable, Equatable {
    /// Values row by row, row 0 first: `width * height` of them for a feature map; a vector's N elements.
    public var values: [Float]
    /// Columns of the grid: W of a feature map, the columns a vector is wrapped into.
    public var width: Int
    /// Rows of the grid: H of a feature map, the rows a wrapped vector takes.
    public var height: Int
    /// The channel shown (0 for a vector).
    public var channel: Int
    /// Channels of the tensor (1 for a vector: its elements are shown together).
    public var channels: Int
    /// True for a vector (`[N]`, `[1, N]`): the values wrap row by row and cells past the end stay empty.
    public var isVector: Bool
    /// The value at the low end of the colormap.
    public var lo: Float
    /// The value at the high end of the colormap.
    public var hi: Float
    /// The colormap.
    public var colormap: ColormapName

    /// Channel `channel` of `channels` as an H×W plane (`plane.count` must be `width * height`).
    public init(plane: [Float], width: Int, height: Int, channel: Int = 0, channels: Int = 1,
                lo: Float, hi: Float, colormap: ColormapName = .standard) {
        precondition(plane.count == width * height, "plane of \(plane.count) values is not \(width)×\(height)")
        values = plane
        self.width = width
        self.height = height
        self.channel = channel
        self.channels = channels
        isVector = false
        self.lo = lo
        self.hi = hi
        self.colormap = colormap
    }

    /// A vector of N values wrapped into a near-square grid of ⌈√N⌉ columns.
    public init(vector: [Float], lo: Float, hi: Float, colormap: ColormapName = .standard) {
        values = vector
        width = max(Int(Double(vector.count).squareRoot().rounded(.up)), 1)
        height = max((vector.count + width - 1) / width, 1)
        channel = 0
        channels = 1
        isVector = true
        self.lo = lo
        self.hi = hi
        self.colormap = colormap
    }

    /// Channel `channel` (clamped to the tensor's channels) of `tensor` read through `ref`, the scene's view of
    /// its layout (NCHW, NHWC or a vector); a tensor of one cell per channel (`[N, C]`, `[N, C, 1, 1]`) is
    /// shown as the vector of its channels. Nil when the tensor is smaller than its shape claims.
    public init?(tensor: Tensor, ref: TensorRef, channel: Int, lo: Float, hi: Float, colormap: ColormapName) {
        if Self.isVector(ref) {
            let n = ref.channels
            guard n <= tensor.count else { return nil }
            let vector = (0..<n).map { ref.value(in: tensor, channel: $0, x: 0, y: 0) ?? .nan }
            self.init(vector: vector, lo: lo, hi: hi, colormap: colormap)
            return
        }
        let c = min(max(channel, 0), max(ref.channels - 1, 0))
        let plane = ref.plane(in: tensor, channel: c)
        guard !plane.isEmpty, plane.count == ref.width * ref.height else { return nil }
        self.init(plane: plane, width: ref.width, height: ref.height, channel: c, channels: ref.channels,
                  lo: lo, hi: hi, colormap: colormap)
    }

    /// True when the inspector shows `ref` as one vector of its channels rather than channel by channel.
    public static func isVector(_ ref: TensorRef) -> Bool {
        !FeatureMapDims(shape: ref.shape, layout: ref.layout).isSpatial
    }

    /// Channels the channel stepper steps through for `ref` (1 for a vector).
    public static func channelCount(_ ref: TensorRef) -> Int { isVector(ref) ? 1 : ref.channels }

    /// Cells that hold a value (a wrapped vector leaves the end of its last row empty).
    public var count: Int { values.count }

    /// Index into `values` of cell (`x`, `y`), nil outside the grid or past a vector's end.
    public func index(x: Int, y: Int) -> Int? {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let i = y * width + x
        return i < values.count ? i : nil
    }

    /// The value of cell (`x`, `y`), nil outside the grid or past a vector's end.
    public func value(x: Int, y: Int) -> Float? { index(x: x, y: y).map { values[$0] } }

    /// How a cell is named: `x 3, y 5` for a map, `[17]` for a vector element.
    public func cellName(x: Int, y: Int) -> String {
        isVector ? "[\(y * width + x)]" : "x \(x), y \(y)"
    }

    /// The colormap colour of `value` in the range in use, as straight RGBA.
    public func color(of value: Float) -> SIMD4<Float> {
        let c = Colormap.named(colormap).color(for: value, lo: lo, hi: hi)
        return SIMD4(c.r, c.g, c.b, 1)
    }
}

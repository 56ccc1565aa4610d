import StrataCore

/// How a tensor's axes map to channel, rows and columns.
public enum TensorLayout: String, Sendable, Codable {
    /// `[N, C, H, W]` (ONNX images), `[C, H, W]` or `[N, C, L]`.
    case nchw = "NCHW"
    /// `[N, H, W, C]` (Keras images), `[H, W, C]` or `[N, L, C]`.
    case nhwc = "NHWC"
    /// `[N, C]` or `[C]`: C channels of one cell each.
    case vector = "NC"
}

/// Refers to (a part of) a recorded tensor without copying it: the renderer reads it from the trace.
public struct TensorRef: Sendable, Equatable, Codable {
    /// The value's name in the trace (the source model's name).
    public var value: String
    /// Full shape of the tensor.
    public var shape: [Int]
    /// Which axes are C, H and W.
    public var layout: TensorLayout
    /// First channel shown.
    public var channel: Int
    /// Number of channels shown from `channel` (1 for a slab; C for voxels).
    public var channelCount: Int
    /// Feature-map width W (columns) of the full tensor (1 for vectors).
    public var width: Int
    /// Feature-map height H (rows) of the full tensor (1 for vectors).
    public var height: Int
    /// Downsampling step along (W, H, C) for voxels; (1, 1, 1) elsewhere.
    public var step: [Int]
    /// The value mapped to the low end of the colormap.
    public var lo: Float
    /// The value mapped to the high end of the colormap.
    public var hi: Float
    /// The colormap.
    public var colormap: ColormapName

    public init(
        value: String, shape: [Int], layout: TensorLayout, channel: Int = 0, channelCount: Int = 1,
        step: [Int] = [1, 1, 1], lo: Float = 0, hi: Float = 1, colormap: ColormapName = .standard
    ) {
        self.value = value
        self.shape = shape
        self.layout = layout
        self.channel = channel
        self.channelCount = channelCount
        let dims = FeatureMapDims(shape: shape, layout: layout)
        self.width = dims.width
        self.height = dims.height
        self.step = step
        self.lo = lo
        self.hi = hi
        self.colormap = colormap
    }

    /// Channels C of the full tensor.
    public var channels: Int { FeatureMapDims(shape: shape, layout: layout).channels }

    /// Flat index into the tensor (batch 0) of channel `c`, row `y`, column `x`.
    public func index(channel c: Int, x: Int, y: Int) -> Int {
        FeatureMapDims(shape: shape, layout: layout).index(channel: c, x: x, y: y)
    }

    /// The value at channel `c`, cell (`x`, `y`) of `tensor` (batch 0), or nil when out of range.
    public func value(in tensor: Tensor, channel c: Int, x: Int, y: Int) -> Float? {
        guard (0..<channels).contains(c), (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let i = index(channel: c, x: x, y: y)
        guard i >= 0, i < tensor.count else { return nil }
        return Float(tensor.double(at: i))
    }

    /// Channel `c` of `tensor` (batch 0) as H×W floats, row-major (row 0 first), whatever the layout; empty
    /// when the channel does not exist or the tensor is smaller than the reference claims.
    public func plane(in tensor: Tensor, channel c: Int) -> [Float] {
        let (cells, overflow) = width.multipliedReportingOverflow(by: height)
        guard (0..<channels).contains(c), !overflow, cells <= tensor.count else { return [] }
        var out = [Float](repeating: .nan, count: cells)
        let floats = tensor.dtype == .float32 ? tensor : tensor.converted(to: .float32)
        floats.withFloats { src in
            for y in 0..<height {
                for x in 0..<width {
                    let i = index(channel: c, x: x, y: y)
                    if i >= 0, i < src.count { out[y * width + x] = src[i] }
                }
            }
        }
        return out
    }
}

/// Channel, height and width of a feature map, and where they sit in the flat storage of batch 0.
public struct FeatureMapDims: Sendable, Equatable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var layout: TensorLayout

    /// Interprets `shape` in `layout`: rank 4 is N×C×H×W (or N×H×W×C), rank 3 N×C×L (or N×L×C) with H = 1,
    /// rank ≤ 2 a vector of the last dimension's length; a higher rank folds leading axes into the batch.
    public init(shape: [Int], layout: TensorLayout) {
        let s = shape.isEmpty ? [1] : shape
        switch (s.count, layout) {
        case (4..., .nhwc):
            (height, width, channels) = (s[s.count - 3], s[s.count - 2], s[s.count - 1])
            self.layout = .nhwc
        case (4..., _):
            (channels, height, width) = (s[s.count - 3], s[s.count - 2], s[s.count - 1])
            self.layout = .nchw
        case (3, .nhwc):
            (height, width, channels) = (1, s[1], s[2])
            self.layout = .nhwc
        case (3, _):
            (channels, height, width) = (s[1], 1, s[2])
            self.layout = .nchw
        default:
            (channels, height, width) = (s[s.count - 1], 1, 1)
            self.layout = .vector
        }
    }

    /// Flat index of channel `c`, row `y`, column `x` in batch 0.
    public func index(channel c: Int, x: Int, y: Int) -> Int {
        switch layout {
        case .nhwc: (y &* width &+ x) &* channels &+ c
        case .nchw: (c &* height &+ y) &* width &+ x
        case .vector: c
        }
    }

    /// True when the map has more than one cell per channel.
    public var isSpatial: Bool { layout != .vector && (height > 1 || width > 1) }
}

import CGL
import StrataCore

/// How a tensor's elements map onto a stack of 2D maps.
public struct MapLayout: Equatable, Sendable {
    /// Number of maps (texture layers).
    public var channels: Int
    /// Rows per map.
    public var height: Int
    /// Columns per map.
    public var width: Int
    /// True when the tensor is channels-last (…, H, W, C): element (c, y, x) is at (y * W + x) * C + c.
    public var channelsLast: Bool

    public init(channels: Int, height: Int, width: Int, channelsLast: Bool = false) {
        self.channels = channels
        self.height = height
        self.width = width
        self.channelsLast = channelsLast
    }

    /// Elements covered.
    public var count: Int { channels * height * width }
}

/// One activation on the GPU: an R32F 2D texture array, one layer per channel. Uploaded once; the
/// colormap and range are applied when drawing.
final class ValueTexture {
    let texture = GLTexture(target: GL_TEXTURE_2D_ARRAY)
    let layout: MapLayout
    /// The storage the texture was made from, to notice a new trace.
    let source: ObjectIdentifier

    /// Uploads the first `layout.count` elements of `tensor` (batch 0; any dtype, converted to float32).
    init(tensor: Tensor, layout: MapLayout) throws {
        precondition(tensor.count >= layout.count, "tensor of \(tensor.count) elements drawn as \(layout)")
        self.layout = layout
        source = ObjectIdentifier(tensor.storage)
        var floats: [Float]
        if tensor.dtype == .float32 {
            floats = tensor.withFloats { Array($0.prefix(layout.count)) }
        } else {
            floats = Array(tensor.floats.prefix(layout.count))
        }
        if layout.channelsLast, layout.channels > 1 { floats = Self.channelsFirst(floats, layout) }
        texture.setSampling(linear: false)
        glPixelStorei(glEnum(GL_UNPACK_ALIGNMENT), 4)
        floats.withUnsafeBytes { raw in
            glTexImage3D(glEnum(GL_TEXTURE_2D_ARRAY), 0, GL_R32F, GLsizei(layout.width), GLsizei(layout.height),
                         GLsizei(layout.channels), 0, glEnum(GL_RED), glEnum(GL_FLOAT), raw.baseAddress)
        }
        try checkGLError("uploading a \(layout.channels)x\(layout.height)x\(layout.width) activation")
    }

    private static func channelsFirst(_ values: [Float], _ layout: MapLayout) -> [Float] {
        let c = layout.channels, plane = layout.height * layout.width
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<plane {
                    for ch in 0..<c { dst[ch * plane + p] = src[p * c + ch] }
                }
            }
        }
        return out
    }
}

/// A colormap's 256-entry lookup table as a 256×1 RGBA8 texture.
final class ColormapTexture {
    let texture = GLTexture(target: GL_TEXTURE_2D)

    /// `rgba` holds 256 × 4 bytes.
    /// Sampled nearest, so a value gets exactly the entry `Colormap.index(for:lo:hi:)` names.
    init(rgba: [UInt8]) {
        precondition(rgba.count == 256 * 4, "a colormap table has 256 RGBA entries")
        texture.setSampling(linear: false)
        glPixelStorei(glEnum(GL_UNPACK_ALIGNMENT), 1)
        rgba.withUnsafeBytes { raw in
            glTexImage2D(glEnum(GL_TEXTURE_2D), 0, GL_RGBA8, 256, 1, 0, glEnum(GL_RGBA), glEnum(GL_UNSIGNED_BYTE),
                         raw.baseAddress)
        }
    }
}

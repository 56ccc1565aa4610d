import CPNG
import Foundation

/// An 8-bit image read through libpng's simplified API, converted to grey or RGB as asked.
struct PNGImage {
    var width: Int
    var height: Int
    /// 1 (grey) or 3 (RGB).
    var channels: Int
    /// Row-major, interleaved, `height * width * channels` bytes.
    var pixels: [UInt8]

    /// Largest image accepted (64 megapixels), so a header cannot ask for an unbounded buffer.
    static let maxPixels = 1 << 26

    /// Reads `path` with `channels` 1 or 3; libpng converts colour type, bit depth and palette, and
    /// composites any alpha onto black.
    init(contentsOf path: String, channels: Int) throws {
        var image = png_image()
        image.version = png_uint_32(strata_png_image_version())
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            let problem = Self.message(image)
            png_image_free(&image)
            throw InputError.png(file: path, problem: problem)
        }
        image.format = channels == 1 ? strata_png_format_gray() : strata_png_format_rgb()
        let (w, h) = (Int(image.width), Int(image.height))
        guard w > 0, h > 0, w * h <= Self.maxPixels else {
            png_image_free(&image)
            throw InputError.png(file: path, problem: "size \(w)×\(h) is out of range")
        }
        var pixels = [UInt8](repeating: 0, count: w * h * channels)
        let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else {
            let problem = Self.message(image)
            png_image_free(&image)
            throw InputError.png(file: path, problem: problem)
        }
        (width, height, self.channels, self.pixels) = (w, h, channels, pixels)
    }

    private static func message(_ image: png_image) -> String {
        let text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "not a valid PNG file" : text
    }

    /// Plane `c` resized bilinearly (half-pixel centres, edges clamped) to `outH`×`outW`, as floats 0...255.
    func resizedPlane(_ c: Int, height outH: Int, width outW: Int) -> [Float] {
        var out = [Float](repeating: 0, count: outH * outW)
        let sy = Float(height) / Float(outH), sx = Float(width) / Float(outW)
        for y in 0..<outH {
            let fy = min(max((Float(y) + 0.5) * sy - 0.5, 0), Float(height - 1))
            let y0 = Int(fy), y1 = min(y0 + 1, height - 1), wy = fy - Float(y0)
            for x in 0..<outW {
                let fx = min(max((Float(x) + 0.5) * sx - 0.5, 0), Float(width - 1))
                let x0 = Int(fx), x1 = min(x0 + 1, width - 1), wx = fx - Float(x0)
                let p = { (yy: Int, xx: Int) in Float(self.pixels[(yy * self.width + xx) * self.channels + c]) }
                let top = p(y0, x0) * (1 - wx) + p(y0, x1) * wx
                let bottom = p(y1, x0) * (1 - wx) + p(y1, x1) * wx
                out[y * outW + x] = top * (1 - wy) + bottom * wy
            }
        }
        return out
    }
}

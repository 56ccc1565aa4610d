import CPNG
import Foundation

/// Writes RGBA pixels to a PNG file with libpng's simplified API.
public enum PNGWriter {
    /// Writes `pixels` (`width * height * 4` RGBA bytes). `bottomUp` says the first row in memory is the
    /// bottom of the image, as `glReadPixels` returns it; a negative row stride makes libpng flip it.
    public static func write(rgba pixels: [UInt8], width: Int, height: Int, bottomUp: Bool, to path: String) throws {
        precondition(pixels.count == width * height * 4, "pixel buffer does not match \(width)x\(height)")
        var image = png_image()
        image.version = strata_png_image_version()
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = strata_png_format_rgba()
        let rowBytes = Int32(width * 4)
        let ok = pixels.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            if bottomUp {
                // libpng steps back from the last row in memory when the stride is negative.
                return png_image_write_to_file(&image, path, 0, base, -rowBytes, nil)
            }
            return png_image_write_to_file(&image, path, 0, base, rowBytes, nil)
        }
        if ok == 0 {
            let message = withUnsafeBytes(of: image.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            png_image_free(&image)
            throw RenderError.pngWrite(file: path, message: message.isEmpty ? "libpng failed" : message)
        }
    }
}

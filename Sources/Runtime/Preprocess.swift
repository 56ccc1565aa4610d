import StrataCore

/// How image pixels become input values: `value = (pixel · scale − mean[c]) / std[c]`, pixel in 0...255.
/// The defaults give [0, 1].
public struct PreprocessOptions: Sendable, Equatable {
    /// Pixel multiplier; nil divides by 255 (exactly as `pixels / 255` in NumPy).
    public var scale: Float?
    /// One value for every channel, or one per channel.
    public var mean: [Float]
    /// One value for every channel, or one per channel.
    public var std: [Float]
    /// Seed of `random` inputs.
    public var seed: UInt64

    public init(scale: Float? = nil, mean: [Float] = [0], std: [Float] = [1], seed: UInt64 = 0) {
        (self.scale, self.mean, self.std, self.seed) = (scale, mean, std, seed)
    }

    /// Parses a `--mean`/`--std` value: one number or a comma-separated list.
    public static func parseList(_ text: String, option: String) throws -> [Float] {
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw InputError.badOption(option: option, problem: "'\(text)' is not a number or a comma-separated list of numbers")
        }
        return values.map { $0! }
    }

    func check(channels: Int) throws {
        for (name, list) in [("--mean", mean), ("--std", std)] where list.count != 1 && list.count != channels {
            throw InputError.badOption(option: name, problem: "has \(list.count) values for an image with \(channels) channels")
        }
        if std.contains(0) { throw InputError.badOption(option: "--std", problem: "must not be 0") }
    }
}

/// PNG images (and grey pictures drawn in the viewer) as model inputs.
public enum ImageInput {
    /// Where the channel axis is in a rank-4 input: NCHW when dims[1] is 1 or 3, else NHWC when the last is.
    enum Layout { case nchw, nhwc }

    static func layout(of dims: [Dim]) -> Layout? {
        guard dims.count == 4 else { return nil }
        if let c = dims[1].intValue, c == 1 || c == 3 { return .nchw }
        if let c = dims[3].intValue, c == 1 || c == 3 { return .nhwc }
        return nil
    }

    /// The PNG at `path` read as grey or RGB by the input's channel count, resized to its H×W (the image's own
    /// size where those are symbolic), scaled and laid out as the input's shape says.
    static func tensor(fromPNG path: String, for input: ValueInfo, options: PreprocessOptions) throws -> Tensor {
        let typeText = input.type.shapeDescription
        guard let dims = input.type.shape, let layout = layout(of: dims) else {
            throw InputError.notAnImage(file: path, input: input.name, type: typeText)
        }
        let c = layout == .nchw ? dims[1].intValue! : dims[3].intValue!
        try options.check(channels: c)
        let image = try PNGImage(contentsOf: path, channels: c)
        let (hDim, wDim) = layout == .nchw ? (dims[2], dims[3]) : (dims[1], dims[2])
        let h = hDim.intValue ?? image.height, w = wDim.intValue ?? image.width
        guard h > 0, w > 0, h * w <= PNGImage.maxPixels else { throw InputError.notAnImage(file: path, input: input.name, type: typeText) }
        var values = [Float](repeating: 0, count: c * h * w)
        for ch in 0..<c {
            let plane = image.resizedPlane(ch, height: h, width: w)
            let mean = options.mean.count == 1 ? options.mean[0] : options.mean[ch]
            let std = options.std.count == 1 ? options.std[0] : options.std[ch]
            for i in 0..<(h * w) {
                let scaled = options.scale.map { plane[i] * $0 } ?? plane[i] / 255
                let v = (scaled - mean) / std
                values[layout == .nchw ? ch * h * w + i : i * c + ch] = v
            }
        }
        let shape = layout == .nchw ? [1, c, h, w] : [1, h, w, c]
        let t = Tensor(shape: shape, floats: values)
        if let dtype = input.type.dtype, !dtype.isFloatingPoint {
            throw InputError.dtypeMismatch(file: path, dtype: .float32, input: input.name, expected: dtype)
        }
        return t.converted(to: input.type.dtype ?? .float32)
    }
}

// MARK: - Grey pictures (the viewer's drawing pad)

/// Where a picture goes in an input: its size, its channels and how they are laid out.
public struct ImageGeometry: Sendable, Equatable {
    /// How the pixels are laid out in the input tensor.
    public enum Layout: Sendable, Equatable {
        /// `[N, C, H, W]`.
        case nchw
        /// `[N, H, W, C]`.
        case nhwc
        /// `[N, H·W]`: a flat vector read as a square grey image, row by row.
        case flat
    }

    /// H and W in pixels.
    public var height: Int
    public var width: Int
    /// 1 (grey) or 3 (RGB).
    public var channels: Int
    public var layout: Layout

    public init(height: Int, width: Int, channels: Int, layout: Layout) {
        (self.height, self.width, self.channels, self.layout) = (height, width, channels, layout)
    }

    /// The tensor shape this geometry fills (batch 1).
    public var shape: [Int] {
        switch layout {
        case .nchw: [1, channels, height, width]
        case .nhwc: [1, height, width, channels]
        case .flat: [1, height * width]
        }
    }
}

extension ImageInput {
    /// The largest side a drawn picture may have.
    public static let maxDrawnSide = 512

    /// The picture an input takes: rank 4 NCHW or NHWC with 1 or 3 channels and a fixed H×W, or rank 2
    /// `[N, K]` where K is a square (784 → 28×28). Nil for anything else (the viewer hides its pad).
    public static func geometry(of input: ValueInfo) -> ImageGeometry? {
        guard let dims = input.type.shape else { return nil }
        if dims.count == 2, let k = dims[1].intValue, k >= 4 {
            let side = Int(Double(k).squareRoot().rounded())
            guard side * side == k, side <= maxDrawnSide else { return nil }
            return ImageGeometry(height: side, width: side, channels: 1, layout: .flat)
        }
        guard let layout = layout(of: dims) else { return nil }
        let (c, h, w) = layout == .nchw ? (dims[1], dims[2], dims[3]) : (dims[3], dims[1], dims[2])
        guard let c = c.intValue, let h = h.intValue, let w = w.intValue,
              (1...maxDrawnSide).contains(h), (1...maxDrawnSide).contains(w) else { return nil }
        return ImageGeometry(height: h, width: w, channels: c, layout: layout == .nchw ? .nchw : .nhwc)
    }

    /// A grey picture (`values` row by row, `width`×`height`, 0 black … 1 white) laid into `input` exactly as a
    /// PNG of those pixels would be: value 1 is pixel 255, then `options` scale, mean and std apply, and the
    /// grey is replicated into every channel. `source` names the picture in errors.
    public static func tensor(fromGrey values: [Float], width: Int, height: Int, for input: ValueInfo,
                              options: PreprocessOptions = PreprocessOptions(), source: String = "drawing") throws -> Tensor {
        let typeText = input.type.shapeDescription
        guard let g = geometry(of: input), g.width == width, g.height == height, values.count == width * height else {
            throw InputError.shapeMismatch(file: source, shape: [height, width], input: input.name, type: typeText)
        }
        if let dtype = input.type.dtype, !dtype.isFloatingPoint {
            throw InputError.dtypeMismatch(file: source, dtype: .float32, input: input.name, expected: dtype)
        }
        try options.check(channels: g.channels)
        let plane = height * width, c = g.channels
        var out = [Float](repeating: 0, count: c * plane)
        for ch in 0..<c {
            let mean = options.mean.count == 1 ? options.mean[0] : options.mean[ch]
            let std = options.std.count == 1 ? options.std[0] : options.std[ch]
            for i in 0..<plane {
                let pixel = min(max(values[i], 0), 1) * 255
                let scaled = options.scale.map { pixel * $0 } ?? pixel / 255
                out[g.layout == .nhwc ? i * c + ch : ch * plane + i] = (scaled - mean) / std
            }
        }
        return Tensor(shape: g.shape, floats: out).converted(to: input.type.dtype ?? .float32)
    }
}

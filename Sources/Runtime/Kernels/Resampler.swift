/// One-axis resampling weights for Resize and Upsample, following the ONNX reference implementation: the
/// output coordinate is mapped to the input (`coordinate_transformation_mode`), then nearest, linear or cubic
/// taps are taken around it with edge clamping. Resizing is separable, so N-D resizing applies this per axis.
struct Resampler {
    enum Mode: Equatable {
        case nearest(String)
        case linear
        case cubic(a: Double)
    }

    var mode: Mode
    var coordinate = "half_pixel"
    var excludeOutside = false
    var antialias = false
    /// Opset 7–10 nearest: onnxruntime's "simple" rounding (truncate, or ceil when downsampling).
    var legacyNearest = false

    /// Taps per output position: `count` input indices (clamped) and weights for each of `outputs` positions.
    struct Taps {
        var count: Int
        var index: [Int]
        var weight: [Float]
    }

    func taps(input: Int, outputs: Int, scale: Double) -> Taps {
        var result = Taps(count: 0, index: [], weight: [])
        for o in 0..<outputs {
            let x = sourceCoordinate(Double(o), input: input, outputs: outputs, scale: scale)
            let (start, coefficients) = window(x, scale: scale)
            result.count = coefficients.count
            var weights = coefficients
            let indices = (0..<coefficients.count).map { start + $0 }
            if excludeOutside {
                for (i, idx) in indices.enumerated() where idx < 0 || idx >= input { weights[i] = 0 }
                let sum = weights.reduce(0, +)
                if sum != 0 { weights = weights.map { $0 / sum } }
            }
            result.index += indices.map { min(max($0, 0), input - 1) }
            result.weight += weights.map(Float.init)
        }
        return result
    }

    func sourceCoordinate(_ y: Double, input: Int, outputs: Int, scale: Double) -> Double {
        let outputWidth = scale * Double(input)
        switch coordinate {
        case "align_corners": return outputWidth == 1 ? 0 : y * Double(input - 1) / (outputWidth - 1)
        case "asymmetric": return y / scale
        case "pytorch_half_pixel": return outputWidth == 1 ? -0.5 : (y + 0.5) / scale - 0.5
        case "tf_half_pixel_for_nn": return (y + 0.5) / scale
        case "half_pixel_symmetric":
            let offset = Double(input) / 2 * (1 - Double(outputs) / outputWidth)
            return offset + (y + 0.5) / scale - 0.5
        default: return (y + 0.5) / scale - 0.5
        }
    }

    /// First input index and the coefficients of the taps around source coordinate `x`.
    func window(_ x: Double, scale: Double) -> (Int, [Double]) {
        let floorX = x.rounded(.down)
        let isInteger = x == floorX
        let ratio = isInteger ? 1 : x - floorX
        let base = Int(floorX)
        switch mode {
        case let .nearest(rule):
            if legacyNearest { return (Int(scale < 1 ? x.rounded(.up) : x.rounded(.towardZero)), [1]) }
            if isInteger { return (base, [1]) }
            let up: Bool
            switch rule {
            case "round_prefer_ceil": up = ratio >= 0.5
            case "floor": up = false
            case "ceil": up = true
            default: up = ratio > 0.5
            }
            return (base + (up ? 1 : 0), [1])
        case .linear:
            let c = antialias ? Self.antialiasLinear(ratio, scale: scale) : [1 - ratio, ratio]
            return (evenStart(base, isInteger: isInteger, n: c.count), c)
        case let .cubic(a):
            let c = antialias ? Self.antialiasCubic(ratio, scale: scale, a: a) : Self.cubic(ratio, a: a)
            return (evenStart(base, isInteger: isInteger, n: c.count), c)
        }
    }

    /// Even tap counts: the window's first index, preferring the pixels left of `x` (ratio in (0, 1]).
    private func evenStart(_ floorX: Int, isInteger: Bool, n: Int) -> Int {
        isInteger ? floorX - n / 2 : floorX - n / 2 + 1
    }

    static func cubic(_ r: Double, a: Double) -> [Double] {
        let (p, q) = (r + 1, 2 - r)
        return [
            ((a * p - 5 * a) * p + 8 * a) * p - 4 * a,
            ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * (1 - r) - (a + 3)) * (1 - r) * (1 - r) + 1,
            ((a * q - 5 * a) * q + 8 * a) * q - 4 * a,
        ]
    }

    static func antialiasLinear(_ r: Double, scale: Double) -> [Double] {
        let s = min(scale, 1)
        let start = Int((-1 / s).rounded(.down)) + 1
        let c = (start..<(2 - start)).map { max(0, min(1, 1 - abs((Double($0) - r) * s))) }
        let sum = c.reduce(0, +)
        return c.map { $0 / sum }
    }

    static func antialiasCubic(_ r: Double, scale: Double, a: Double) -> [Double] {
        let s = min(scale, 1)
        let start = Int((-2 / s).rounded(.down)) + 1
        let c = (start..<(2 - start)).map { i -> Double in
            let x = abs(s * (Double(i) - r))
            if x <= 1 { return (a + 2) * x * x * x - (a + 3) * x * x + 1 }
            if x < 2 { return a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a }
            return 0
        }
        let sum = c.reduce(0, +)
        return c.map { $0 / sum }
    }
}

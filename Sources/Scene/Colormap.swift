/// The colormaps Strata offers.
public enum ColormapName: String, Sendable, Codable, CaseIterable {
    /// Strata's default: dark blue/purple (low) through red to yellow (high).
    case standard
    case viridis, magma, plasma, inferno, turbo
    /// matplotlib's `gray`.
    case grey
    /// matplotlib's `RdBu_r`: blue (negative) – white (zero) – red (positive), for signed data.
    case diverging

    /// True for maps meant for signed data, whose range should be symmetric about zero.
    public var isDiverging: Bool { self == .diverging }
}

/// A 256-entry colour table with colours of its own for NaN and ±Inf.
public struct Colormap: Sendable, Equatable, Codable {
    public var name: ColormapName
    /// 256 colours from low (index 0) to high (index 255).
    public var table: [RGB]
    /// Colour of NaN.
    public var nan: RGB
    /// Colour of +Inf.
    public var positiveInfinity: RGB
    /// Colour of -Inf.
    public var negativeInfinity: RGB

    /// The table of `name`; NaN is magenta-free grey-green, +Inf white, -Inf black unless the map needs others.
    public init(_ name: ColormapName) {
        self.name = name
        table = name.matplotlibHexTable.map(Colormap.parseHex) ?? Colormap.standardTable()
        nan = RGB(0.0, 0.85, 0.25)
        positiveInfinity = name == .grey ? RGB(1.0, 0.3, 0.1) : RGB(1, 1, 1)
        negativeInfinity = name == .grey ? RGB(0.1, 0.3, 1.0) : RGB(0, 0, 0)
    }

    /// Every map, built once.
    public static let all: [ColormapName: Colormap] = Dictionary(
        uniqueKeysWithValues: ColormapName.allCases.map { ($0, Colormap($0)) })

    /// The map `name` (from the shared cache).
    public static func named(_ name: ColormapName) -> Colormap { all[name] ?? Colormap(name) }

    /// The colour of `value` when `lo` maps to index 0 and `hi` to index 255 (clamped); NaN and ±Inf get
    /// their own colours; a degenerate range gives the middle colour.
    public func color(for value: Float, lo: Float, hi: Float) -> RGB {
        if value.isNaN { return nan }
        if value == .infinity { return positiveInfinity }
        if value == -.infinity { return negativeInfinity }
        return table[index(for: value, lo: lo, hi: hi)]
    }

    /// Table index of a finite `value` in the range `lo...hi`, as the shader computes it.
    public func index(for value: Float, lo: Float, hi: Float) -> Int {
        guard hi > lo else { return 128 }
        let t = (value - lo) / (hi - lo)
        return Int(max(0, min(255, (t * 255).rounded())))
    }

    /// The table as 256 × RGBA8 bytes (alpha 255), for a 256×1 lookup texture.
    public var rgba8: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        for c in table {
            let (r, g, b) = c.bytes
            out += [r, g, b, 255]
        }
        return out
    }

    static func parseHex(_ text: String) -> [RGB] {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: " ") })
        func nibble(_ c: UInt8) -> UInt8 { c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: digits.count - 5, by: 6).map { i in
            RGB(
                bytes: nibble(digits[i]) << 4 | nibble(digits[i + 1]),
                nibble(digits[i + 2]) << 4 | nibble(digits[i + 3]),
                nibble(digits[i + 4]) << 4 | nibble(digits[i + 5]))
        }
    }

    /// Stops of the default map: navy, purple, red, orange, yellow.
    static let standardStops: [RGB] = [
        RGB(0.05, 0.03, 0.22), RGB(0.38, 0.06, 0.55), RGB(0.82, 0.14, 0.25), RGB(0.98, 0.52, 0.06),
        RGB(1.00, 0.95, 0.40),
    ]

    static func standardTable() -> [RGB] {
        let stops = standardStops
        return (0..<256).map { i in
            let t = Float(i) / 255 * Float(stops.count - 1)
            let k = min(Int(t), stops.count - 2)
            let f = t - Float(k)
            let a = stops[k]
            let b = stops[k + 1]
            return RGB(a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f)
        }
    }
}

extension ColormapName {
    /// The default colormap.
    public static let `default`: ColormapName = .standard
}

/// Screen-space 2D drawing for everything on top of the 3D view (tooltips, status lines, UI panels):
/// rectangles and text in window pixels, origin top-left, y down. Plain data, built without GL.
public struct OverlayDrawList: Sendable {
    /// A filled rectangle.
    public struct Rect: Sendable, Equatable {
        public var x, y, width, height: Float
        /// Straight (not premultiplied) RGBA in 0...1.
        public var color: SIMD4<Float>
    }

    /// A line of text: `y` is the top of its line box, `size` the em in pixels.
    public struct Text: Sendable, Equatable {
        public var string: String
        public var x, y, size: Float
        public var color: SIMD4<Float>
    }

    /// What to draw in order: each command is a rect or a text, so later ones cover earlier ones.
    public enum Command: Sendable, Equatable {
        case rect(Rect)
        case text(Text)
    }

    public private(set) var commands: [Command] = []

    public init() {}

    /// True when nothing was added.
    public var isEmpty: Bool { commands.isEmpty }

    /// Adds a filled rectangle.
    public mutating func rect(x: Float, y: Float, width: Float, height: Float, color: SIMD4<Float>) {
        commands.append(.rect(Rect(x: x, y: y, width: width, height: height, color: color)))
    }

    /// Adds one line of text whose line box starts at (`x`, `y`).
    public mutating func text(_ string: String, x: Float, y: Float, size: Float, color: SIMD4<Float>) {
        commands.append(.text(Text(string: string, x: x, y: y, size: size, color: color)))
    }

    /// Appends another list's commands after this one's.
    public mutating func append(_ other: OverlayDrawList) { commands += other.commands }
}

/// Advance widths of the overlay font, to lay text out without a GL context.
public struct FontMetrics: Sendable {
    /// Advance per character in em.
    let advances: [Unicode.Scalar: Float]
    /// Advance used for characters the font atlas lacks.
    let fallback: Float
    /// Line box height in em.
    public let lineHeight: Float

    /// Width in pixels of `text` set at `size` pixels per em.
    public func width(of text: String, size: Float) -> Float {
        text.unicodeScalars.reduce(0) { $0 + (advances[$1] ?? fallback) } * size
    }

    /// Metrics that approximate DejaVu Sans (0.6 em per character), for layout in tests without a font.
    public static let approximate = FontMetrics(advances: [:], fallback: 0.6, lineHeight: 1.25)
}

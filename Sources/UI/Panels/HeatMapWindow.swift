/// Which cells of a W×H map the heat map shows and how big: a window of the map (zoom and pan), downsampled
/// so that at most `maxCells`×`maxCells` cells are drawn whatever the map's size (each drawn cell then
/// covers `step`×`step` cells of the map). Plain arithmetic, no drawing.
public struct HeatMapWindow: Sendable, Equatable {
    /// Most drawn cells along a side: the overlay draws one rectangle per cell, so this caps its cost (32 keeps
    /// the panels within 2 ms of a frame without them on llvmpipe; zoom shows every cell).
    public static let maxCells = 32
    /// Fewest map cells shown along the longer side when zoomed in all the way.
    public static let minSpan = 3

    /// The first column and row of the map shown.
    public var originX: Int
    public var originY: Int
    /// Columns and rows of the map shown.
    public var spanX: Int
    public var spanY: Int
    /// Map cells per drawn cell along each side (1: no downsampling).
    public var step: Int
    /// Drawn cells across and down.
    public var columns: Int
    public var rows: Int
    /// Side of a drawn cell in pixels (whole pixels when at least 2, so cells line up).
    public var cellSize: Float

    /// The window of a `width`×`height` map at `zoom` with its top-left near (`originX`, `originY`) (clamped
    /// so the window stays inside the map), fitted into a `boxWidth`×`boxHeight` pixel box.
    public init(width: Int, height: Int, zoom: Int, originX: Float, originY: Float,
                boxWidth: Float, boxHeight: Float, maxCells: Int = HeatMapWindow.maxCells) {
        let w = max(width, 1), h = max(height, 1)
        let span = Self.span(full: max(w, h), zoom: zoom)
        spanX = min(w, span)
        spanY = min(h, span)
        self.originX = Self.clamp(originX, spanX, w)
        self.originY = Self.clamp(originY, spanY, h)
        let longer = max(spanX, spanY)
        step = max((longer + maxCells - 1) / max(maxCells, 1), 1)
        columns = (spanX + step - 1) / step
        rows = (spanY + step - 1) / step
        let fit = min(boxWidth / Float(columns), boxHeight / Float(rows))
        cellSize = fit >= 2 ? fit.rounded(.down) : max(fit, 0.5)
    }

    /// Map cells shown along the longer side `full` at `zoom`: all at 0, half as many per step, never fewer
    /// than `minSpan` (or the whole side when it is shorter).
    public static func span(full: Int, zoom: Int) -> Int {
        let z = min(max(zoom, 0), 30)
        let shown = (full + (1 << z) - 1) >> z
        return max(shown, min(full, minSpan))
    }

    /// The largest zoom that still shows fewer cells than the one before it.
    public static func maxZoom(width: Int, height: Int) -> Int {
        let full = max(width, height, 1)
        var zoom = 0
        while zoom < 30, span(full: full, zoom: zoom + 1) < span(full: full, zoom: zoom) { zoom += 1 }
        return zoom
    }

    private static func clamp(_ origin: Float, _ span: Int, _ full: Int) -> Int {
        guard origin.isFinite else { return 0 }
        return min(max(Int(origin.rounded(.down)), 0), full - span)
    }

    /// Pixel size of the drawn map.
    public var pixelWidth: Float { Float(columns) * cellSize }
    public var pixelHeight: Float { Float(rows) * cellSize }

    /// The map cells drawn cell (`column`, `row`) covers: x and y ranges of at most `step` cells each.
    public func block(column: Int, row: Int) -> (x: Range<Int>, y: Range<Int>) {
        let x0 = originX + column * step, y0 = originY + row * step
        return (x0..<min(x0 + step, originX + spanX), y0..<min(y0 + step, originY + spanY))
    }

    /// The map cell under the point (`px`, `py`) in pixels from the drawn map's top-left (the exact cell,
    /// also when downsampled), nil outside the drawn map.
    public func cell(atX px: Float, y py: Float) -> (x: Int, y: Int)? {
        guard px >= 0, py >= 0, px < pixelWidth, py < pixelHeight, cellSize > 0 else { return nil }
        let x = originX + min(Int(px / cellSize * Float(step)), spanX - 1)
        let y = originY + min(Int(py / cellSize * Float(step)), spanY - 1)
        return (x, y)
    }

    /// The map position (in cells, fractional) under the point (`px`, `py`) from the drawn map's top-left.
    public func position(atX px: Float, y py: Float) -> (x: Float, y: Float) {
        let scale = Float(step) / max(cellSize, .leastNonzeroMagnitude)
        return (Float(originX) + px * scale, Float(originY) + py * scale)
    }

    /// The origin that keeps map position `point` under the pixel (`px`, `py`) in this window's scale.
    public func origin(keeping point: (x: Float, y: Float), atX px: Float, y py: Float) -> (x: Float, y: Float) {
        let scale = Float(step) / max(cellSize, .leastNonzeroMagnitude)
        return (point.x - px * scale, point.y - py * scale)
    }
}

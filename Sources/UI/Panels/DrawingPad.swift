import GLRenderer

/// A grey picture painted with the mouse, at a model's input size (e.g. 28×28): white strokes on black,
/// like the handwritten digits models are trained on. Values are in 0...1, row by row.
///
/// The brush is soft: a cell whose centre lies within `brushRadius - 1` cells of the brush is fully white,
/// then its value falls linearly to 0 at `brushRadius + 1` cells. Strokes combine by maximum, so going over a
/// line again does not thicken it. A stroke between two mouse positions lays dabs half a cell apart.
public struct DrawingPad: Sendable, Equatable {
    /// Size in cells (the model input's W and H).
    public let width: Int
    public let height: Int
    /// Brush radius in cells.
    public var brushRadius: Float = 1.5
    /// `width`×`height` values in 0...1, row by row.
    public private(set) var cells: [Float]
    /// Grows by one on every change of `cells` (the viewer re-runs the model when it changes).
    public private(set) var revision = 0
    /// Where the stroke in progress last painted (cell units), nil between strokes.
    var lastPoint: SIMD2<Float>?

    /// An all-black pad of `width`×`height` cells (each at least 1).
    public init(width: Int, height: Int) {
        self.width = max(width, 1)
        self.height = max(height, 1)
        cells = [Float](repeating: 0, count: self.width * self.height)
    }

    /// True when nothing is drawn.
    public var isEmpty: Bool { cells.allSatisfy { $0 == 0 } }

    /// The value of cell (`x`, `y`).
    public func value(x: Int, y: Int) -> Float { cells[y * width + x] }

    /// Paints one dab centred at (`x`, `y`) in cell units (cell (i, j) covers i..<i+1, j..<j+1). True if a
    /// cell changed.
    @discardableResult
    public mutating func dab(x: Float, y: Float) -> Bool {
        let reach = brushRadius + 1
        let x0 = max(Int((x - reach).rounded(.down)), 0), x1 = min(Int((x + reach).rounded(.up)), width - 1)
        let y0 = max(Int((y - reach).rounded(.down)), 0), y1 = min(Int((y + reach).rounded(.up)), height - 1)
        guard x0 <= x1, y0 <= y1 else { return false }
        var changed = false
        for j in y0...y1 {
            for i in x0...x1 {
                let dx = Float(i) + 0.5 - x, dy = Float(j) + 0.5 - y
                let v = brushValue(distance: (dx * dx + dy * dy).squareRoot())
                if v > cells[j * width + i] {
                    cells[j * width + i] = v
                    changed = true
                }
            }
        }
        if changed { revision += 1 }
        return changed
    }

    /// The brush's value at `distance` cells from its centre.
    public func brushValue(distance: Float) -> Float {
        min(max((brushRadius + 1 - distance) / 2, 0), 1)
    }

    /// Continues the stroke to (`x`, `y`) (cell units), painting from where it last was; starts one if none
    /// is in progress. True if a cell changed.
    @discardableResult
    public mutating func stroke(to x: Float, _ y: Float) -> Bool {
        let end = SIMD2(x, y)
        let start = lastPoint ?? end
        lastPoint = end
        let d = end - start
        let steps = max(Int(((d * d).sum().squareRoot() / 0.5).rounded(.up)), 1)
        var changed = false
        for s in 0...steps {
            let p = start + d * (Float(s) / Float(steps))
            if dab(x: p.x, y: p.y) { changed = true }
        }
        return changed
    }

    /// Ends the stroke in progress (the next `stroke(to:)` starts a new one).
    public mutating func endStroke() { lastPoint = nil }

    /// Paints everything black.
    public mutating func clear() {
        guard !isEmpty else { return }
        cells = [Float](repeating: 0, count: width * height)
        lastPoint = nil
        revision += 1
    }

    /// Replaces the picture (e.g. with a sample's pixels), values clamped to 0...1; ignored when the count is wrong.
    public mutating func load(_ values: [Float]) {
        guard values.count == cells.count else { return }
        cells = values.map { min(max($0, 0), 1) }
        lastPoint = nil
        revision += 1
    }
}

extension DrawingPad {
    /// Pixels per cell for a pad drawn at most `maxSide` pixels wide and tall: 10 at most, 1 at least.
    public func cellSize(fitting maxSide: Float) -> Float {
        min(max((maxSide / Float(max(width, height))).rounded(.down), 1), 10)
    }

    /// Draws the pad magnified (`cellSize` pixels per cell) as the next widget and paints while the left button
    /// is held on it. Returns the pad's rect (window pixels) and whether the picture changed this frame.
    public mutating func draw(_ ui: UIContext, label: String = "pad", cellSize: Float) -> (rect: UIRect, changed: Bool) {
        let rect = ui.place(width: Float(width) * cellSize, height: Float(height) * cellSize)
        let state = ui.interact(ui.id(label), rect)
        var changed = false
        if state.pressed {
            endStroke()
            changed = stroke(to: (ui.pressPoint.x - rect.x) / cellSize, (ui.pressPoint.y - rect.y) / cellSize)
        }
        if state.held {
            if stroke(to: (ui.mouseX - rect.x) / cellSize, (ui.mouseY - rect.y) / cellSize) { changed = true }
        } else {
            endStroke()
        }
        ui.fill(rect.inset(-1), state.hovered || state.held ? UITheme.accent : UITheme.widget)
        ui.fill(rect, SIMD4(0, 0, 0, 1))
        for j in 0..<height {
            for i in 0..<width where cells[j * width + i] > 0.02 {
                let v = cells[j * width + i]
                ui.fill(UIRect(x: rect.x + Float(i) * cellSize, y: rect.y + Float(j) * cellSize, width: cellSize, height: cellSize),
                        SIMD4(v, v, v, 1))
            }
        }
        return (rect, changed)
    }
}

import Scene

/// The inspector's heat map: one channel (or a wrapped vector) as colormapped cells in the range in use,
/// annotated with their values when the cells are large enough; − / + / Fit buttons or the wheel zoom, a drag
/// pans, and the value under the pointer shows below the map.
public enum HeatMapView {
    /// Smallest text size of a cell's value, in pixels; smaller cells show colour only.
    public static let minLabelSize: Float = 8

    /// Draws the map of `tensor` into the current panel, at most `maxHeight` pixels tall including its
    /// controls; `state` keeps zoom and pan.
    public static func draw(_ ui: UIContext, tensor: InspectorTensor, state: inout InspectorState, maxHeight: Float) {
        ui.pushID("heatmap")
        defer { ui.popID() }
        let lineHeight = (ui.textSize * ui.metrics.lineHeight).rounded() + 2
        let width = ui.remainingWidth
        let mapHeight = max(maxHeight - ui.rowHeight - lineHeight - 2 * ui.spacing, 16)
        let aspect = Float(tensor.height) / Float(max(tensor.width, 1))
        let boxHeight = min(mapHeight, max(width * aspect, 24), width)
        var window = makeWindow(tensor, state, width, boxHeight)
        controls(ui, tensor: tensor, state: &state, window: window, box: (width, boxHeight))
        window = makeWindow(tensor, state, width, boxHeight)
        // The map takes the height its whole cells need; after a zoom it is laid out anew next frame.
        let box = ui.place(height: window.pixelHeight)
        func centred(_ w: HeatMapWindow) -> UIRect {
            UIRect(x: (box.x + (box.width - w.pixelWidth) / 2).rounded(), y: box.y, width: w.pixelWidth, height: w.pixelHeight)
        }
        var map = centred(window)
        if interact(ui, tensor: tensor, state: &state, window: window, map: map, box: box, fit: (width, boxHeight)) {
            window = makeWindow(tensor, state, width, boxHeight)
            map = centred(window)
        }
        cells(ui, tensor: tensor, window: window, map: map)
        let hovered = map.contains(ui.mouseX, ui.mouseY) ? window.cell(atX: ui.mouseX - map.x, y: ui.mouseY - map.y) : nil
        if let hovered { outline(ui, window: window, map: map, cell: hovered) }
        let readout = ui.place(height: lineHeight)
        if let hovered, let v = tensor.value(x: hovered.x, y: hovered.y) {
            ui.drawText("\(tensor.cellName(x: hovered.x, y: hovered.y)) = \(UIFormat.number(v))", in: readout)
        } else {
            ui.drawText("point at a cell to read its value", in: readout, color: UITheme.dim)
        }
    }

    static func makeWindow(_ tensor: InspectorTensor, _ state: InspectorState, _ w: Float, _ h: Float) -> HeatMapWindow {
        HeatMapWindow(width: tensor.width, height: tensor.height, zoom: state.zoom, originX: state.originX,
                      originY: state.originY, boxWidth: w, boxHeight: h)
    }

    // MARK: - Input

    private static func controls(_ ui: UIContext, tensor: InspectorTensor, state: inout InspectorState,
                                 window: HeatMapWindow, box: (width: Float, height: Float)) {
        let maxZoom = HeatMapWindow.maxZoom(width: tensor.width, height: tensor.height)
        let centre = (x: window.pixelWidth / 2, y: window.pixelHeight / 2)
        if ui.button("−##zoomOut", width: ui.rowHeight, enabled: state.zoom > 0) {
            zoom(&state, to: state.zoom - 1, about: centre, tensor: tensor, window: window, box: box)
        }
        ui.sameLine()
        if ui.button("+##zoomIn", width: ui.rowHeight, enabled: state.zoom < maxZoom) {
            zoom(&state, to: state.zoom + 1, about: centre, tensor: tensor, window: window, box: box)
        }
        ui.sameLine()
        if ui.button("Fit##zoomFit", enabled: state.zoom > 0) {
            zoom(&state, to: 0, about: centre, tensor: tensor, window: window, box: box)
        }
        ui.sameLine()
        var text = "\(window.spanX)×\(window.spanY) of \(tensor.width)×\(tensor.height)"
        if window.step > 1 { text += ", step \(window.step)" }
        let rect = ui.place(height: ui.rowHeight)
        ui.drawText(text, in: rect, inset: 2, color: UITheme.dim, size: ui.textSize - 2)
    }

    /// Wheel zoom about the pointer and drag to pan; true when the window changed.
    private static func interact(_ ui: UIContext, tensor: InspectorTensor, state: inout InspectorState,
                                 window: HeatMapWindow, map: UIRect, box: UIRect,
                                 fit: (width: Float, height: Float)) -> Bool {
        let before = state
        let wheel = ui.takeScroll(in: box)
        if wheel != 0 {
            let pointer = (x: ui.mouseX - map.x, y: ui.mouseY - map.y)
            let target = state.zoom + (wheel > 0 ? 1 : -1)
            let maxZoom = HeatMapWindow.maxZoom(width: tensor.width, height: tensor.height)
            zoom(&state, to: min(max(target, 0), maxZoom), about: pointer, tensor: tensor, window: window, box: fit)
        }
        let press = ui.interact(ui.id("map"), box)
        if press.pressed {
            state.drag = .init(mouseX: ui.mouseX, mouseY: ui.mouseY, originX: Float(window.originX),
                               originY: Float(window.originY))
        }
        if press.held, let drag = state.drag, wheel == 0 {
            let scale = Float(window.step) / max(window.cellSize, .leastNonzeroMagnitude)
            let x = drag.originX - (ui.mouseX - drag.mouseX) * scale
            let y = drag.originY - (ui.mouseY - drag.mouseY) * scale
            state.originX = min(max(x, 0), Float(tensor.width - window.spanX))
            state.originY = min(max(y, 0), Float(tensor.height - window.spanY))
        } else if !press.held {
            state.drag = nil
        }
        return state != before
    }

    /// Sets `state.zoom` to `zoom`, moving the origin so the map position under `point` (pixels from the
    /// drawn map's top-left) stays under it.
    static func zoom(_ state: inout InspectorState, to zoom: Int, about point: (x: Float, y: Float),
                     tensor: InspectorTensor, window: HeatMapWindow, box: (width: Float, height: Float)) {
        guard zoom != state.zoom else { return }
        let held = window.position(atX: point.x, y: point.y)
        let next = HeatMapWindow(width: tensor.width, height: tensor.height, zoom: zoom, originX: 0, originY: 0,
                                 boxWidth: box.width, boxHeight: box.height)
        let origin = next.origin(keeping: held, atX: point.x, y: point.y)
        state.zoom = zoom
        state.originX = min(max(origin.x, 0), Float(tensor.width - next.spanX))
        state.originY = min(max(origin.y, 0), Float(tensor.height - next.spanY))
    }

    // MARK: - Drawing

    /// The drawn cells, a run of equal colours along a row as one rectangle (ReLU maps are mostly zeros), then
    /// the values written in the cells when the text fits.
    private static func cells(_ ui: UIContext, tensor: InspectorTensor, window: HeatMapWindow, map: UIRect) {
        // Only a wrapped vector leaves cells empty; elsewhere the cells cover the map (no fill beneath them).
        if tensor.isVector { ui.fill(map, UITheme.field) }
        let size = labelSize(ui, window: window)
        var labels: [(text: String, x: Float, y: Float, color: RGB)] = []
        tensor.values.withUnsafeBufferPointer { values in
            for row in 0..<window.rows {
                drawRow(ui, row, values: values, tensor: tensor, window: window, map: map) { v, x, y, c in
                    if size != nil { labels.append((SceneBuilder.formatValue(v), x, y, c)) }
                }
            }
        }
        guard let size else { return }
        for label in labels { annotate(ui, label.text, x: label.x, y: label.y, cell: window.cellSize, size: size, on: label.color) }
    }

    /// Fills row `row` of the drawn cells and reports each cell's value, corner and colour to `cell`.
    private static func drawRow(_ ui: UIContext, _ row: Int, values: UnsafeBufferPointer<Float>, tensor: InspectorTensor,
                                window: HeatMapWindow, map: UIRect, cell: (Float, Float, Float, RGB) -> Void) {
        let colormap = Colormap.named(tensor.colormap)
        let y = map.y + Float(row) * window.cellSize
        var run: (start: Int, color: RGB)?
        func flush(_ end: Int) {
            guard let r = run else { return }
            ui.fill(UIRect(x: map.x + Float(r.start) * window.cellSize, y: y, width: Float(end - r.start) * window.cellSize,
                           height: window.cellSize), SIMD4(r.color.r, r.color.g, r.color.b, 1))
            run = nil
        }
        for column in 0..<window.columns {
            guard let v = sample(values, width: tensor.width, window.block(column: column, row: row)) else {
                flush(column)
                continue
            }
            let c = colormap.color(for: v, lo: tensor.lo, hi: tensor.hi)
            if run?.color != c {
                flush(column)
                run = (column, c)
            }
            cell(v, map.x + Float(column) * window.cellSize, y, c)
        }
        flush(window.columns)
    }

    /// Writes `text` centred in the cell at (`x`, `y`), black or white against its colour, if it fits.
    private static func annotate(_ ui: UIContext, _ text: String, x: Float, y: Float, cell: Float, size: Float, on c: RGB) {
        let w = ui.metrics.width(of: text, size: size)
        guard w <= cell - 2 else { return }
        let luminance = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b
        ui.drawList.text(text, x: (x + (cell - w) / 2).rounded(), y: (y + (cell - size * ui.metrics.lineHeight) / 2).rounded(),
                         size: size, color: luminance > 0.5 ? SIMD4(0, 0, 0, 1) : SIMD4(1, 1, 1, 1))
    }

    /// Text size for cell values, nil when cells are downsampled or too small for text.
    static func labelSize(_ ui: UIContext, window: HeatMapWindow) -> Float? {
        guard window.step == 1 else { return nil }
        let size = min(ui.textSize - 1, (window.cellSize * 0.3).rounded(.down))
        return size >= minLabelSize ? size : nil
    }

    /// The value a drawn cell shows: the cell itself, or the mean of the finite cells of its block (NaN when
    /// none is finite); nil when the block holds no value (past a vector's end).
    static func sample(_ tensor: InspectorTensor, _ block: (x: Range<Int>, y: Range<Int>)) -> Float? {
        tensor.values.withUnsafeBufferPointer { sample($0, width: tensor.width, block) }
    }

    /// `sample` over the values of a grid `width` cells wide (read once per frame, not per cell).
    static func sample(_ values: UnsafeBufferPointer<Float>, width: Int, _ block: (x: Range<Int>, y: Range<Int>)) -> Float? {
        var sum: Float = 0, finite = 0, any = false, last: Float = .nan
        for y in block.y {
            let row = y * width
            for x in block.x {
                let i = row + x
                guard i < values.count else { break }
                let v = values[i]
                any = true
                last = v
                if v.isFinite {
                    sum += v
                    finite += 1
                }
            }
        }
        guard any else { return nil }
        if block.x.count == 1, block.y.count == 1 { return last }
        return finite > 0 ? sum / Float(finite) : .nan
    }

    private static func outline(_ ui: UIContext, window: HeatMapWindow, map: UIRect, cell: (x: Int, y: Int)) {
        let column = (cell.x - window.originX) / window.step, row = (cell.y - window.originY) / window.step
        let x = map.x + Float(column) * window.cellSize, y = map.y + Float(row) * window.cellSize
        let s = window.cellSize, t: Float = 1.5
        for r in [UIRect(x: x, y: y, width: s, height: t), UIRect(x: x, y: y + s - t, width: s, height: t),
                  UIRect(x: x, y: y, width: t, height: s), UIRect(x: x + s - t, y: y, width: t, height: s)] {
            ui.fill(r, UITheme.accent)
        }
    }
}

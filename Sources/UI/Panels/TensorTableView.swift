/// The inspector's table: a channel's values with rows = y and columns = x (a vector as index and value),
/// paged: only the rows and columns that fit are built. The wheel scrolls rows; Page Up/Down, arrows, Home
/// and End work while the pointer is over the table; the buttons page rows and columns.
public enum TensorTableView {
    /// Draws `tensor` into the current panel, at most `maxHeight` pixels tall with its controls; `state` keeps
    /// the first row and column shown.
    public static func draw(_ ui: UIContext, tensor: InspectorTensor, state: inout InspectorState, maxHeight: Float) {
        ui.pushID("table")
        defer { ui.popID() }
        let layout = TableLayout(ui, tensor: tensor, width: ui.remainingWidth,
                                 height: maxHeight - 2 * (ui.rowHeight + ui.spacing))
        var rows = TablePager(count: layout.rowCount, pageSize: layout.rowsShown, first: state.firstRow)
        var columns = TablePager(count: layout.columnCount, pageSize: layout.columnsShown, first: state.firstColumn)
        pageControls(ui, "rows", &rows, back: "▲", forward: "▼")
        if columns.isPaged { pageControls(ui, "columns", &columns, back: "◀", forward: "▶") }
        let box = ui.place(height: layout.boxHeight)
        let wheel = ui.takeScroll(in: box)
        if wheel != 0 { rows.scroll(by: -Int(wheel.rounded()) * 3) }
        for key in ui.takeNavigationKeys(in: box) { navigate(key, rows: &rows, columns: &columns) }
        state.firstRow = rows.first
        state.firstColumn = columns.first
        ui.fill(box, UITheme.field)
        drawCells(ui, tensor: tensor, layout: layout, box: box, rows: rows.visible, columns: columns.visible)
    }

    /// What one key does: Page Up/Down a page of rows, arrows a row or column, Home/End the first/last rows.
    static func navigate(_ key: UIKey, rows: inout TablePager, columns: inout TablePager) {
        switch key {
        case .pageUp: rows.pageUp()
        case .pageDown: rows.pageDown()
        case .up: rows.scroll(by: -1)
        case .down: rows.scroll(by: 1)
        case .left: columns.scroll(by: -1)
        case .right: columns.scroll(by: 1)
        case .home: rows.home()
        case .end: rows.end()
        case .enter, .backspace, .escape, .tab: break
        }
    }

    private static func pageControls(_ ui: UIContext, _ noun: String, _ pager: inout TablePager,
                                     back: String, forward: String) {
        if ui.button("\(back)##\(noun)Back", width: ui.rowHeight, enabled: pager.first > 0) { pager.pageUp() }
        ui.sameLine()
        if ui.button("\(forward)##\(noun)Forward", width: ui.rowHeight, enabled: pager.first < pager.lastFirst) {
            pager.pageDown()
        }
        ui.sameLine()
        let rect = ui.place(height: ui.rowHeight)
        let page = pager.page
        ui.drawText("\(pager.label(noun))  ·  page \(page.number)/\(page.of)", in: rect, inset: 2, color: UITheme.dim)
    }

    private static func drawCells(_ ui: UIContext, tensor: InspectorTensor, layout: TableLayout, box: UIRect,
                                  rows: Range<Int>, columns: Range<Int>) {
        let size = layout.textSize
        func cell(_ text: String, _ x: Float, _ y: Float, _ width: Float, _ color: SIMD4<Float>) {
            let shown = ui.fit(text, width: width - 6, size: size)
            let w = ui.metrics.width(of: shown, size: size)
            ui.drawList.text(shown, x: (x + width - 4 - w).rounded(), y: (y + 1).rounded(), size: size, color: color)
        }
        let headerY = box.y + 2
        ui.fill(UIRect(x: box.x, y: box.y, width: box.width, height: layout.rowHeight + 2), UITheme.title)
        cell(tensor.isVector ? "index" : "y \\ x", box.x, headerY, layout.indexWidth, UITheme.dim)
        for (k, c) in columns.enumerated() {
            let title = tensor.isVector ? "value" : String(c)
            cell(title, box.x + layout.indexWidth + Float(k) * layout.columnWidth, headerY, layout.columnWidth, UITheme.dim)
        }
        for (k, r) in rows.enumerated() {
            let y = box.y + 2 + Float(k + 1) * layout.rowHeight
            if k % 2 == 1 { ui.fill(UIRect(x: box.x, y: y, width: box.width, height: layout.rowHeight), UITheme.panel) }
            cell(String(r), box.x, y, layout.indexWidth, UITheme.dim)
            for (j, c) in columns.enumerated() {
                let value = tensor.isVector ? tensor.values[r] : tensor.value(x: c, y: r)
                guard let value else { continue }
                cell(UIFormat.number(value), box.x + layout.indexWidth + Float(j) * layout.columnWidth, y,
                     layout.columnWidth, UITheme.text)
            }
        }
    }
}

/// Sizes of the table: how many rows and columns fit the space given.
struct TableLayout {
    var textSize: Float
    var rowHeight: Float
    var indexWidth: Float
    var columnWidth: Float
    /// Rows and columns of the data (a vector: N rows of one value column).
    var rowCount: Int
    var columnCount: Int
    var rowsShown: Int
    var columnsShown: Int
    var boxHeight: Float

    init(_ ui: UIContext, tensor: InspectorTensor, width: Float, height: Float) {
        textSize = ui.textSize - 2
        rowHeight = (textSize * ui.metrics.lineHeight).rounded() + 2
        rowCount = tensor.isVector ? tensor.count : tensor.height
        columnCount = tensor.isVector ? 1 : tensor.width
        let widest = ui.metrics.width(of: "-0.00000", size: textSize) + 10
        indexWidth = max(ui.metrics.width(of: String(max(rowCount - 1, 0)), size: textSize),
                         ui.metrics.width(of: "index", size: textSize)) + 12
        columnWidth = tensor.isVector ? max(width - indexWidth, widest) : widest
        columnsShown = max(Int((width - indexWidth) / columnWidth), 1)
        let fit = Int((height - 4) / rowHeight) - 1
        rowsShown = max(min(fit, rowCount), 1)
        boxHeight = Float(rowsShown + 1) * rowHeight + 4
    }
}

import Scene

/// A toolbar button's command, carried out by the viewer.
public enum ToolbarCommand: Equatable, Sendable {
    case open, run, clear, library, snapshot, screenshot, help
}

/// The top toolbar: Open, Run, Clear, Model library; view mode, colormap, range mode; snapshot, screenshot and help.
public enum Toolbar {
    /// What the toolbar did this frame.
    public struct Outcome: Equatable, Sendable {
        public var command: ToolbarCommand?
        /// True when `viewState` was changed (the scene needs rebuilding).
        public var viewChanged = false
    }

    /// Draws the toolbar docked at the top, on as many rows as the window's width needs; `hasModel` enables
    /// Run and Clear, `busy` disables Run, `canSnapshot` (a model with activations) enables Save snapshot.
    public static func draw(_ ui: UIContext, viewState: inout ViewState, hasModel: Bool, busy: Bool,
                            canSnapshot: Bool = false) -> Outcome {
        let rowsKey = ui.id("toolbar#rows")
        let rows = max(ui.storage[rowsKey] ?? 1, 1)
        let height = rows * ui.rowHeight + (rows - 1) * ui.spacing + 2 * ui.padding / 1.5
        ui.beginPanel(nil, edge: .top, size: height, horizontal: true)
        defer {
            if let layout = ui.layouts.last {
                let used = ((layout.rowBottom - layout.content.y + ui.spacing) / (ui.rowHeight + ui.spacing)).rounded()
                if used != rows, used >= 1 {
                    ui.storage[rowsKey] = used
                    ui.requestRedraw()
                }
            }
            ui.endPanel()
        }
        var outcome = Outcome()
        if ui.button("Open") { outcome.command = .open }
        if ui.button("Run", enabled: hasModel && !busy) { outcome.command = .run }
        if ui.button("Clear", enabled: hasModel) { outcome.command = .clear }
        if ui.button("Library") { outcome.command = .library }
        gap(ui)
        if ui.choice("##mode", selection: &viewState.mode) {
            viewState.modeOverrides = [:]
            outcome.viewChanged = true
        }
        gap(ui)
        if colormapButton(ui, colormap: &viewState.colormap) { outcome.viewChanged = true }
        gap(ui)
        if ui.choice("range##range", selection: &viewState.rangeMode) { outcome.viewChanged = true }
        gap(ui)
        if ui.button("Save snapshot", enabled: canSnapshot && !busy) { outcome.command = .snapshot }
        if ui.button("Screenshot") { outcome.command = .screenshot }
        if ui.button("?##help") { outcome.command = .help }
        return outcome
    }

    private static func gap(_ ui: UIContext) { _ = ui.place(width: ui.spacing, height: 1) }

    /// A button showing the colormap's gradient and name; a press moves to the next colormap.
    static func colormapButton(_ ui: UIContext, colormap: inout ColormapName) -> Bool {
        let name = colormap.rawValue
        let rect = ui.place(width: max(ui.textWidth("diverging") + 2 * ui.padding, 90), height: ui.rowHeight)
        let state = ui.interact(ui.id("colormap"), rect)
        ui.gradient(colormap, in: rect, steps: 24)
        let label = UIRect(x: rect.x + 4, y: rect.y + 4, width: ui.textWidth(name) + 8, height: rect.height - 8)
        ui.fill(label, SIMD4(0, 0, 0, state.hovered ? 0.75 : 0.55))
        ui.drawText(name, in: label, inset: 4)
        guard state.pressed else { return false }
        let all = ColormapName.allCases
        colormap = all[((all.firstIndex(of: colormap) ?? 0) + 1) % all.count]
        return true
    }
}

/// The shortcut sheet shown by the toolbar's help button.
public enum HelpSheet {
    public static let lines: [(String, String)] = [
        ("drag", "orbit the camera"), ("right- or middle-drag", "pan"), ("wheel", "zoom toward the pointer"),
        ("click a block", "open its feature maps and inspect it"), ("click a map", "select a channel; again: close"),
        ("double-click", "focus the item"), ("F", "frame everything"), ("Home", "reset the camera"),
        ("1-6", "view mode: grid, stack, heightfield, voxels, values, bars"), ("C", "next colormap"),
        ("R", "next range mode: channel, layer, global"), ("P", "save a screenshot (PNG)"),
        ("S", "save a .strata snapshot (model, input, activations, view)"),
        ("Esc", "close: selection, message, then the viewer"), ("drop a file", "a model opens; a .png or .npy becomes the input"),
    ]

    /// Draws the sheet as a modal; true when it should close.
    public static func draw(_ ui: UIContext) -> Bool {
        ui.beginModal("Shortcuts##help", width: 620, height: Float(lines.count + 3) * (ui.textSize * ui.metrics.lineHeight + 8) + 40)
        defer { ui.endModal() }
        for (key, what) in lines { ui.field(key, what) }
        ui.space()
        var close = ui.button("Close")
        for key in ui.takeKeys() where key == .escape || key == .enter { close = true }
        return close
    }
}

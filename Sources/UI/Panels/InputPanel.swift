import Foundation
import GLRenderer

/// What the user asked for in the input panel this frame.
public enum InputPanelAction: Equatable, Sendable {
    /// Run on a bundled sample (its absolute path).
    case sample(String)
    /// Run on a random input.
    case random
    /// Choose an image or `.npy` in a file dialog.
    case pickFile
    /// The drawing pad's picture changed (a stroke or Clear): run on it, live.
    case padChanged
}

/// The input panel's state the caller keeps between frames.
public struct InputPanelState: Sendable, Equatable {
    /// The pad at the open model's input size; nil when the input is not a picture.
    public var pad: DrawingPad?
    /// True when only the header row shows.
    public var collapsed = false
    /// Where the pad was drawn last frame (window pixels), nil when hidden.
    public var padRect: UIRect?

    public init(pad: DrawingPad? = nil) { self.pad = pad }
}

/// A bundled sample input offered as a button.
public struct InputSample: Equatable, Sendable {
    /// The button's text (`3` for `digit_3.png`).
    public var title: String
    /// Absolute path.
    public var path: String

    public init(title: String, path: String) {
        (self.title, self.path) = (title, path)
    }

    /// The samples of a library entry, titled by file name (`digit_3.png` → `3`).
    public static func samples(of entry: ModelLibrary.Entry, in library: ModelLibrary) -> [InputSample] {
        entry.samples.map { relative in
            let name = URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent
            return InputSample(title: name.hasPrefix("digit_") ? String(name.dropFirst(6)) : name, path: library.path(relative))
        }
    }
}

/// The input panel, floating at the top-left of the free area: the current input, the bundled samples,
/// Random, "Pick image / .npy…", and the drawing pad (runs live as you draw).
public enum InputPanel {
    /// The panel's width in pixels.
    public static let width: Float = 268
    static let pickTitle = "Pick image / .npy…"

    /// Draws the panel; `current` describes the input of the last run, `enabled` is false while a load or run
    /// job is busy (the pad still paints; its run waits). Returns what the user asked for.
    public static func draw(_ ui: UIContext, state: inout InputPanelState, samples: [InputSample], current: String?,
                            enabled: Bool = true) -> InputPanelAction? {
        let area = ui.available
        let inner = width - 2 * ui.padding
        let rows = sampleRows(ui, samples.map(\.title), width: inner)
        let cell = state.pad?.cellSize(fitting: inner) ?? 0
        let height = min(panelHeight(ui, sampleRows: rows.count, padHeight: state.pad.map { Float($0.height) * cell },
                                     collapsed: state.collapsed), area.height)
        ui.beginPanel("Input##inputPanel", rect: UIRect(x: area.x, y: area.y, width: min(width, area.width), height: height))
        defer { ui.endPanel() }
        state.padRect = nil
        if header(ui, current: current, collapsed: &state.collapsed) || state.collapsed { return nil }
        var action: InputPanelAction?
        for row in rows {
            for (n, i) in row.enumerated() {
                if n > 0 { ui.sameLine() }
                if ui.button("\(samples[i].title)##sample\(i)", enabled: enabled) { action = .sample(samples[i].path) }
            }
        }
        if ui.button("Random", enabled: enabled) { action = .random }
        ui.sameLine()
        if ui.button(pickTitle, enabled: enabled) { action = .pickFile }
        guard var pad = state.pad else { return action }
        ui.label("Draw (runs live)", color: UITheme.dim)
        ui.sameLine()
        if ui.button("Clear##pad"), !pad.isEmpty {
            pad.clear()
            action = .padChanged
        }
        let drawn = pad.draw(ui, cellSize: cell)
        if drawn.changed { action = .padChanged }
        state.padRect = drawn.rect
        state.pad = pad
        return action
    }

    /// The header row: the input in use, and Hide/Show. True when the toggle was pressed.
    private static func header(_ ui: UIContext, current: String?, collapsed: inout Bool) -> Bool {
        let toggle = collapsed ? "Show##inputToggle" : "Hide##inputToggle"
        let toggleWidth = ui.textWidth(UIContext.displayText(toggle)) + 2 * ui.padding
        let text = "input: " + (current ?? "none")
        let rect = ui.place(width: max(ui.remainingWidth - toggleWidth - ui.spacing, 0), height: ui.rowHeight)
        ui.drawText(text, in: rect, color: UITheme.dim)
        ui.sameLine()
        guard ui.button(toggle) else { return false }
        collapsed.toggle()
        return true
    }

    /// The panel's height in pixels for its rows: header, `sampleRows` rows of sample buttons, the Random/Pick
    /// row and, with a pad, the pad's caption row and the pad itself.
    static func panelHeight(_ ui: UIContext, sampleRows: Int, padHeight: Float?, collapsed: Bool) -> Float {
        var rows = [ui.rowHeight]
        if !collapsed {
            rows += Array(repeating: ui.rowHeight, count: sampleRows + 1)
            if let padHeight { rows += [ui.rowHeight, padHeight] }
        }
        let content = rows.reduce(0, +) + ui.spacing * Float(rows.count - 1)
        return (ui.titleHeight + ui.padding / 2 + content + ui.padding + 1).rounded(.up)
    }

    /// Indices of `titles` split into rows of buttons no wider than `width` together.
    static func sampleRows(_ ui: UIContext, _ titles: [String], width: Float) -> [[Int]] {
        var rows: [[Int]] = []
        var x: Float = 0
        for (i, title) in titles.enumerated() {
            let w = ui.textWidth(title) + 2 * ui.padding
            if rows.isEmpty || x + ui.spacing + w > width {
                rows.append([i])
                x = w
            } else {
                rows[rows.count - 1].append(i)
                x += ui.spacing + w
            }
        }
        return rows
    }
}

import Foundation
import Runtime
import UI

/// The model library panel: bundled models with a line about each, their sample inputs, a random input, and
/// the recently opened files.
extension ViewerApp {
    func libraryPanel(_ ui: UIContext) {
        ui.beginPanel("Model library##library", edge: .left, size: 320)
        defer { ui.endPanel() }
        if let library = uiState.library {
            let current = controller.document.flatMap { library.entry(forModelAt: $0.model.path) }
            for entry in library.entries {
                ui.pushID(entry.file)
                let isCurrent = entry == current
                if ui.button(entry.name, width: ui.remainingWidth) {
                    let sample = entry.samples.first.map { [InputSpec(name: nil, source: .file(library.path($0)))] }
                    openFromUI(library.path(entry.file), inputs: sample)
                }
                if isCurrent {
                    for line in ui.wrap(entry.description, width: ui.remainingWidth, maxLines: 3) {
                        ui.label(line, color: UITheme.dim, size: ui.textSize * 0.85)
                    }
                    samples(ui, entry: entry, library: library)
                }
                ui.popID()
            }
        } else {
            ui.label("No bundled models found (set STRATA_ASSETS).", color: UITheme.dim)
        }
        recentFiles(ui)
    }

    private func samples(_ ui: UIContext, entry: ModelLibrary.Entry, library: ModelLibrary) {
        ui.label("Input:", color: UITheme.dim)
        for (i, sample) in entry.samples.enumerated() {
            let name = URL(fileURLWithPath: sample).deletingPathExtension().lastPathComponent
            let short = name.hasPrefix("digit_") ? String(name.dropFirst(6)) : name
            ui.sameLine()
            if ui.remainingWidth < ui.textWidth(short) + 2 * ui.padding { _ = ui.place(width: 0, height: 0) }
            if ui.button("\(short)##sample\(i)", enabled: job == nil) {
                runCurrentModel(inputs: [InputSpec(name: nil, source: .file(library.path(sample)))])
            }
        }
        if ui.button("random", enabled: job == nil) { runCurrentModel(inputs: [InputSpec(name: nil, source: .random)]) }
        ui.space()
    }

    private func recentFiles(_ ui: UIContext) {
        let paths = uiState.recent.paths
        guard !paths.isEmpty, ui.remainingHeight > ui.rowHeight * 3 else { return }
        ui.space()
        ui.label("Recent", color: UITheme.dim)
        let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
        let height = min(Float(names.count) * (ui.rowHeight - 4), ui.remainingHeight)
        if let event = ui.list("recent", count: names.count, selection: nil, height: max(height, 0), row: { (names[$0], UITheme.text) }) {
            openFromUI(paths[event.index])
        }
    }
}

import GLRenderer
import Scene
import Testing
@testable import UI

/// The toolbar in narrow windows, and the widget log end-to-end tests read.
@Suite struct ToolbarLayoutTests {
    /// Draws the toolbar in a `width`-pixel window and returns the recorded widgets and the free area.
    func toolbar(width: Float, frames: Int = 2) -> (widgets: [UIWidgetRecord], available: UIRect) {
        let ui = UIContext(metrics: .approximate)
        ui.recordsWidgets = true
        var state = ViewState()
        for _ in 0..<frames {
            ui.beginFrame(width: width, height: 600)
            _ = Toolbar.draw(ui, viewState: &state, hasModel: true, busy: false, canSnapshot: true)
            _ = ui.endFrame()
        }
        return (ui.widgetLog, ui.available)
    }

    @Test func aNarrowWindowWrapsTheToolbarOntoMoreRows() throws {
        let wide = toolbar(width: 2400)
        let narrow = toolbar(width: 640)
        #expect(Set(wide.widgets.map(\.text)) == Set(narrow.widgets.map(\.text)), "every control is still there")
        #expect(narrow.widgets.allSatisfy { $0.rect.maxX <= 640 }, "nothing runs off the right edge")
        let rows = Set(narrow.widgets.map(\.rect.y)).count
        #expect(rows >= 2)
        #expect(Set(wide.widgets.map(\.rect.y)).count == 1)
        #expect(narrow.available.y > wide.available.y, "the taller toolbar leaves less room below it")
        let open = try #require(narrow.widgets.first { $0.text == "Open" })
        let help = try #require(narrow.widgets.first { $0.text == "?" })
        #expect(help.rect.y > open.rect.y)
    }

    @Test func theWidgetLogNamesButtonsAndSegmentsByTheirText() {
        let texts = Set(toolbar(width: 1600, frames: 1).widgets.map(\.text))
        for expected in ["Open", "Run", "Clear", "Library", "Save snapshot", "Screenshot", "?", "grid", "heightfield", "layer"] {
            #expect(texts.contains(expected), "\(expected)")
        }
    }
}

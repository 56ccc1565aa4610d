import GLRenderer
import Testing
@testable import UI

@Suite struct DrawingPadTests {
    @Test func aVerticalStrokeSetsTheCellsAlongIt() {
        var pad = DrawingPad(width: 28, height: 28)
        #expect(pad.isEmpty)
        pad.stroke(to: 14, 5)
        pad.stroke(to: 14, 22)
        pad.endStroke()
        for y in 5..<22 {
            #expect(pad.value(x: 13, y: y) == 1 && pad.value(x: 14, y: y) == 1, "row \(y) of the stroke is white")
        }
        #expect(pad.value(x: 14, y: 1) == 0 && pad.value(x: 14, y: 26) == 0, "nothing beyond the stroke's ends")
        #expect(pad.value(x: 2, y: 14) == 0 && pad.value(x: 25, y: 14) == 0, "nothing far to the sides")
        #expect(!pad.isEmpty)
    }

    @Test func theBrushFallsOffWithDistance() {
        var pad = DrawingPad(width: 28, height: 28)
        #expect(pad.brushRadius == 1.5)
        pad.dab(x: 10.5, y: 10.5)  // the centre of cell (10, 10)
        #expect(pad.value(x: 10, y: 10) == 1)
        #expect(pad.value(x: 11, y: 10) == 0.75 && pad.value(x: 9, y: 10) == 0.75 && pad.value(x: 10, y: 11) == 0.75)
        #expect(pad.value(x: 12, y: 10) == 0.25)
        let diagonal: Float = (2.5 - Float(2).squareRoot()) / 2
        #expect(abs(pad.value(x: 11, y: 11) - diagonal) < 1e-6)
        #expect(pad.value(x: 13, y: 10) == 0, "the brush reaches radius + 1 cells")
        #expect(pad.cells.filter { $0 > 0 }.count == 21, "a disc of radius 2.5 cells around the centre")
    }

    @Test func valuesStayWithinZeroAndOneAndStrokesCombineByMaximum() {
        var pad = DrawingPad(width: 8, height: 6)
        for _ in 0..<5 { pad.dab(x: 4, y: 3) }
        pad.dab(x: 0, y: 0)
        pad.dab(x: 8, y: 6)
        #expect(pad.cells.allSatisfy { $0 >= 0 && $0 <= 1 })
        let before = pad.cells
        let revision = pad.revision
        let offPad = pad.dab(x: -10, y: -10)
        let overWhite = pad.dab(x: 4, y: 3)
        #expect(!offPad, "a dab off the pad changes nothing")
        #expect(!overWhite, "painting over white changes nothing")
        #expect(pad.cells == before && pad.revision == revision)
        pad.load([Float](repeating: 3, count: 48))
        #expect(pad.cells.allSatisfy { $0 == 1 }, "loaded values are clamped")
    }

    @Test func strokesBetweenDistantPointsLeaveNoGaps() {
        var pad = DrawingPad(width: 28, height: 28)
        pad.stroke(to: 2, 14)
        pad.stroke(to: 26, 14)  // one mouse move across the whole pad
        #expect((2..<26).allSatisfy { pad.value(x: $0, y: 13) >= 0.75 })
        pad.endStroke()
        pad.stroke(to: 14, 2)
        #expect(pad.value(x: 14, y: 8) == 0, "a new stroke does not join the last one")
    }

    @Test func clearBlanksThePadAndCountsAsAChange() {
        var pad = DrawingPad(width: 28, height: 28)
        pad.dab(x: 3, y: 3)
        let revision = pad.revision
        pad.clear()
        #expect(pad.isEmpty && pad.revision == revision + 1)
        pad.clear()
        #expect(pad.revision == revision + 1, "clearing a blank pad is no change")
    }

    @Test func draggingOverThePadPaintsIt() {
        let ui = UIContext(metrics: .approximate)
        var pad = DrawingPad(width: 28, height: 28)
        var rect = UIRect(x: 0, y: 0, width: 0, height: 0)
        let draw = { () -> Bool in
            var changed = false
            frame(ui) {
                ui.beginPanel("p", rect: UIRect(x: 0, y: 0, width: 300, height: 340))
                (rect, changed) = pad.draw(ui, cellSize: 10)
                ui.endPanel()
            }
            return changed
        }
        #expect(!draw())
        #expect(rect.width == 280 && rect.height == 280)
        ui.feed(.mouseMoved(x: rect.x + 145, y: rect.y + 40))
        ui.feed(.mouseButton(pressed: true, x: rect.x + 145, y: rect.y + 40))
        #expect(ui.wantsMouse, "the pad's drag belongs to the UI, not the camera")
        #expect(draw())
        ui.feed(.mouseMoved(x: rect.x + 145, y: rect.y + 240))
        #expect(draw())
        ui.feed(.mouseButton(pressed: false, x: rect.x + 145, y: rect.y + 240))
        #expect(!draw())
        #expect((4..<24).allSatisfy { pad.value(x: 14, y: $0) == 1 })
        #expect(pad.value(x: 3, y: 14) == 0)
        ui.feed(.mouseMoved(x: rect.x + 30, y: rect.y + 30))
        #expect(!draw(), "moving without the button paints nothing")
    }

    @Test func cellSizeFitsThePanel() {
        #expect(DrawingPad(width: 28, height: 28).cellSize(fitting: 252) == 9)
        #expect(DrawingPad(width: 8, height: 8).cellSize(fitting: 252) == 10)
        #expect(DrawingPad(width: 96, height: 96).cellSize(fitting: 252) == 2)
        #expect(DrawingPad(width: 500, height: 500).cellSize(fitting: 252) == 1)
    }
}

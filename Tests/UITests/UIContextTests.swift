import GLRenderer
import Testing
@testable import UI

@Suite struct UIContextTests {
    let ui = UIContext(metrics: .approximate)

    func panelWithButton(_ pressed: inout Bool) -> OverlayDrawList {
        var result = false
        let list = frame(ui) {
            ui.beginPanel("Tools", edge: .left, size: 200)
            result = ui.button("Apply")
            ui.endPanel()
        }
        pressed = result
        return list
    }

    @Test func buttonReportsOnePressAndOnlyOverItself() throws {
        var pressed = false
        let list = panelWithButton(&pressed)
        #expect(!pressed)
        let p = try #require(position(of: "Apply", in: list))
        click(ui, at: p)
        _ = panelWithButton(&pressed)
        #expect(pressed)
        _ = panelWithButton(&pressed)
        #expect(!pressed, "a press is reported on one frame only")
        click(ui, at: (p.x, p.y + 200))
        _ = panelWithButton(&pressed)
        #expect(!pressed)
    }

    @Test func wantsMouseOverPanelsAndDuringUIDrags() {
        var pressed = false
        _ = panelWithButton(&pressed)
        ui.feed(.mouseMoved(x: 100, y: 300))
        #expect(ui.wantsMouse)
        ui.feed(.mouseMoved(x: 500, y: 300))
        #expect(!ui.wantsMouse)
        // A drag that starts over the scene stays the scene's, even across the panel.
        #expect(!ui.feed(.mouseButton(pressed: true, x: 500, y: 300)))
        #expect(!ui.feed(.mouseMoved(x: 100, y: 300)))
        #expect(!ui.feed(.mouseButton(pressed: false, x: 100, y: 300)))
        // One that starts over the panel stays the UI's outside it.
        #expect(ui.feed(.mouseButton(pressed: true, x: 100, y: 300)))
        #expect(ui.feed(.mouseMoved(x: 600, y: 300)))
        #expect(ui.feed(.mouseButton(pressed: false, x: 600, y: 300)))
        #expect(!ui.wantsMouse)
    }

    @Test func keysReachTheUIOnlyWhenItWantsThem() {
        #expect(!ui.feed(.key(.enter)))
        #expect(!ui.feed(.character("p")))
        ui.focusID = "field"
        #expect(ui.feed(.key(.enter)))
        #expect(ui.keys == [.enter])
    }

    @Test func toggleAndChoiceChangeTheCallersValues() throws {
        var on = false
        var mode = "grid"
        let draw = { () -> (Bool, Bool) in
            var t = false, c = false
            frame(self.ui) {
                self.ui.beginPanel(nil, edge: .top, size: 40, horizontal: true)
                t = self.ui.toggle("Labels", isOn: &on)
                c = self.ui.choice("Mode", selection: &mode, options: ["grid", "stack", "bars"], title: { $0 })
                self.ui.endPanel()
            }
            return (t, c)
        }
        ui.beginFrame(width: 800, height: 600)
        ui.beginPanel(nil, edge: .top, size: 40, horizontal: true)
        _ = ui.toggle("Labels", isOn: &on)
        _ = ui.choice("Mode", selection: &mode, options: ["grid", "stack", "bars"], title: { $0 })
        ui.endPanel()
        let list = ui.endFrame()
        click(ui, at: try #require(position(of: "Labels", in: list)))
        #expect(draw() == (true, false))
        #expect(on)
        click(ui, at: try #require(position(of: "bars", in: list)))
        #expect(draw() == (false, true))
        #expect(mode == "bars")
        click(ui, at: try #require(position(of: "bars", in: list)))
        #expect(draw() == (false, false), "choosing the current option is no change")
    }

    @Test func sliderFollowsTheMouseWhileHeld() {
        var value: Float = 0
        let draw = { () -> Bool in
            var changed = false
            frame(self.ui) {
                self.ui.beginPanel(nil, rect: UIRect(x: 0, y: 0, width: 416, height: 100))
                changed = self.ui.slider("Max", value: &value, in: 0...10)
                self.ui.endPanel()
            }
            return changed
        }
        _ = draw()
        // Content starts at x = 8 and is 400 wide; the row starts at y = 4.
        ui.feed(.mouseMoved(x: 308, y: 10))
        ui.feed(.mouseButton(pressed: true, x: 308, y: 10))
        #expect(draw())
        #expect(abs(value - 7.5) < 1e-4)
        ui.feed(.mouseMoved(x: 1000, y: 300))
        #expect(draw())
        #expect(value == 10, "dragging past the end clamps")
        ui.feed(.mouseButton(pressed: false, x: 1000, y: 300))
        _ = draw()
        ui.feed(.mouseMoved(x: 108, y: 10))
        #expect(!draw(), "no change without the button held")
    }

    @Test func textFieldTakesTypingOnlyWhenFocused() throws {
        var text = "ab"
        let draw = { () -> OverlayDrawList in
            frame(self.ui) {
                self.ui.beginPanel(nil, rect: UIRect(x: 0, y: 0, width: 300, height: 100))
                _ = self.ui.textField("name", text: &text)
                self.ui.endPanel()
            }
        }
        let list = draw()
        ui.feed(.character("x"))
        _ = draw()
        #expect(text == "ab", "unfocused fields ignore typing")
        click(ui, at: try #require(position(of: "ab", in: list)))
        _ = draw()
        #expect(ui.focusID == "panel1/name")
        ui.feed(.character("c"))
        ui.feed(.key(.backspace))
        ui.feed(.character("d"))
        _ = draw()
        #expect(text == "abd")
        text = ""
        ui.feed(.key(.backspace))
        ui.beginFrame(width: 800, height: 600)
        ui.beginPanel(nil, rect: UIRect(x: 0, y: 0, width: 300, height: 100))
        _ = ui.textField("name", text: &text)
        #expect(ui.takeKeys() == [.backspace], "Backspace in an empty field is left to the caller")
        ui.endPanel()
        _ = ui.endFrame()
    }

    @Test func listReportsRowsScrollsAndDoubleClicks() throws {
        let names = (0..<50).map { "row \($0)" }
        var event: UIListEvent?
        let draw = { () -> OverlayDrawList in
            frame(self.ui) {
                self.ui.beginPanel(nil, rect: UIRect(x: 0, y: 0, width: 300, height: 300))
                event = self.ui.list("items", count: names.count, selection: nil, height: 200) { (names[$0], UITheme.text) }
                self.ui.endPanel()
            }
        }
        var list = draw()
        #expect(texts(list).contains("row 0"))
        #expect(!texts(list).contains("row 40"), "rows outside the box are not drawn")
        click(ui, at: try #require(position(of: "row 2", in: list)), time: 1)
        list = draw()
        #expect(event == UIListEvent(index: 2, isDoubleClick: false))
        click(ui, at: try #require(position(of: "row 2", in: list)), time: 1.2)
        list = draw()
        #expect(event == UIListEvent(index: 2, isDoubleClick: true))
        ui.feed(.scrolled(dy: -2, x: 100, y: 100))
        list = draw()
        #expect(texts(list).first == "row 6", "two wheel steps scroll six rows")
    }

    @Test func modalDialogBlocksWidgetsBehindIt() throws {
        var behind = false, inside = false
        let draw = { () -> OverlayDrawList in
            frame(self.ui) {
                self.ui.beginPanel("Back", edge: .left, size: 800)
                behind = self.ui.button("Behind")
                self.ui.endPanel()
                self.ui.beginModal("Dialog", width: 200, height: 100)
                inside = self.ui.button("Inside")
                self.ui.endModal()
            }
        }
        let list = draw()
        #expect(ui.wantsMouse && ui.wantsKeyboard)
        click(ui, at: try #require(position(of: "Behind", in: list)))
        _ = draw()
        #expect(!behind)
        click(ui, at: try #require(position(of: "Inside", in: list)))
        _ = draw()
        #expect(inside)
    }

    @Test func dockedPanelsDivideTheWindow() {
        frame(ui) {
            ui.beginPanel(nil, edge: .top, size: 40)
            ui.endPanel()
            ui.beginDock(.right, size: 300)
            let bottom = ui.beginPanel("Output", edge: .bottom, size: 200)
            ui.endPanel()
            let top = ui.beginPanel("Layer", edge: .top, size: 1000)
            ui.endPanel()
            ui.endDock()
            #expect(bottom == UIRect(x: 500, y: 400, width: 300, height: 200))
            #expect(top == UIRect(x: 500, y: 40, width: 300, height: 360))
            #expect(ui.available == UIRect(x: 0, y: 40, width: 500, height: 560))
        }
    }

    @Test func longTextIsShortenedAndWrapped() {
        let fitted = ui.fit("a very long layer name indeed", width: 100)
        #expect(fitted.hasSuffix("…"))
        #expect(ui.textWidth(fitted) <= 100)
        let lines = ui.wrap("one two three four five six seven", width: 80)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { ui.textWidth($0) <= 80 })
        #expect(UIContext.displayText("Open##dialog") == "Open")
    }
}

import Foundation
import GLRenderer
import Testing
@testable import UI

@Suite struct InputPanelTests {
    let samples = (0..<10).map { InputSample(title: "\($0)", path: "/assets/samples/digit_\($0).png") }

    /// Draws the panel in one frame; returns its action and drawing.
    func draw(_ ui: UIContext, _ state: inout InputPanelState, samples: [InputSample]? = nil,
              enabled: Bool = true) -> (action: InputPanelAction?, list: OverlayDrawList) {
        var action: InputPanelAction?
        let list = frame(ui) {
            action = InputPanel.draw(ui, state: &state, samples: samples ?? self.samples, current: "digit_3.png", enabled: enabled)
        }
        return (action, list)
    }

    /// Clicks the text `label` of the last frame and draws the next one.
    func press(_ label: String, _ ui: UIContext, _ state: inout InputPanelState, in list: OverlayDrawList) throws -> InputPanelAction? {
        let point = try #require(position(of: label, in: list), "'\(label)' is drawn")
        click(ui, at: point)
        return draw(ui, &state).action
    }

    @Test func offersSamplesRandomAFileAndThePad() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InputPanelState(pad: DrawingPad(width: 28, height: 28))
        let (action, list) = draw(ui, &state)
        #expect(action == nil)
        let shown = texts(list)
        for text in ["input: digit_3.png", "0", "9", "Random", "Pick image / .npy…", "Draw (runs live)", "Clear"] {
            #expect(shown.contains(text), "'\(text)' is shown")
        }
        let pad = try #require(state.padRect)
        #expect(pad.width == 28 * 9 && pad.height == 28 * 9)
        #expect(pad.x >= 0 && pad.maxX <= InputPanel.width, "the pad fits the panel")
        let result1 = try press("3", ui, &state, in: list)
        #expect(result1 == .sample("/assets/samples/digit_3.png"))
        let result2 = try press("Random", ui, &state, in: list)
        #expect(result2 == .random)
        let result3 = try press("Pick image / .npy…", ui, &state, in: list)
        #expect(result3 == .pickFile)
    }

    @Test func drawingOnThePadAndClearAskForALiveRun() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InputPanelState(pad: DrawingPad(width: 28, height: 28))
        let list = draw(ui, &state).list
        let pad = try #require(state.padRect)
        ui.feed(.mouseMoved(x: pad.x + pad.width / 2, y: pad.y + 20))
        ui.feed(.mouseButton(pressed: true, x: pad.x + pad.width / 2, y: pad.y + 20))
        let result4 = draw(ui, &state).action
        #expect(result4 == .padChanged)
        ui.feed(.mouseMoved(x: pad.x + pad.width / 2, y: pad.maxY - 20))
        let result5 = draw(ui, &state).action
        #expect(result5 == .padChanged)
        ui.feed(.mouseButton(pressed: false, x: pad.x + pad.width / 2, y: pad.maxY - 20))
        let result6 = draw(ui, &state).action
        #expect(result6 == nil)
        #expect(state.pad?.isEmpty == false)
        let result7 = try press("Clear", ui, &state, in: list)
        #expect(result7 == .padChanged)
        #expect(state.pad?.isEmpty == true)
        let again = try press("Clear", ui, &state, in: list)
        #expect(again == nil, "clearing a blank pad runs nothing")
    }

    @Test func busyDisablesTheButtonsButNotThePad() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InputPanelState(pad: DrawingPad(width: 28, height: 28))
        let list = draw(ui, &state, enabled: false).list
        let point = try #require(position(of: "Random", in: list))
        click(ui, at: point)
        let result8 = draw(ui, &state, enabled: false).action
        #expect(result8 == nil)
    }

    @Test func withoutAPictureInputThereIsNoPad() {
        let ui = UIContext(metrics: .approximate)
        var state = InputPanelState(pad: nil)
        let shown = texts(draw(ui, &state, samples: []).list)
        #expect(state.padRect == nil)
        #expect(!shown.contains("Clear") && !shown.contains("Draw (runs live)"))
        #expect(shown.contains("Random") && shown.contains("Pick image / .npy…"))
    }

    @Test func hideCollapsesThePanelToItsHeader() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InputPanelState(pad: DrawingPad(width: 28, height: 28))
        let list = draw(ui, &state).list
        _ = try press("Hide", ui, &state, in: list)
        #expect(state.collapsed)
        let shown = texts(draw(ui, &state).list)
        #expect(shown.contains("Show") && !shown.contains("Random") && state.padRect == nil)
    }

    @Test func samplesWrapIntoRowsThatFit() {
        let ui = UIContext(metrics: .approximate)
        let rows = InputPanel.sampleRows(ui, samples.map(\.title), width: InputPanel.width - 2 * ui.padding)
        #expect(rows.flatMap { $0 } == Array(0..<10))
        #expect(rows.count == 2)
        #expect(InputPanel.sampleRows(ui, [], width: 100).isEmpty)
    }

    @Test func samplesOfALibraryEntryAreTitledByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = #"[{"name": "N", "file": "n.onnx", "format": "ONNX", "description": "d", "samples": ["samples/digit_7.png", "samples/cat.npy"]}]"#
        try Data(json.utf8).write(to: folder.appendingPathComponent("library.json"))
        let library = try #require(ModelLibrary(folder: folder))
        let samples = InputSample.samples(of: library.entries[0], in: library)
        #expect(samples.map(\.title) == ["7", "cat"])
        #expect(samples[0].path == folder.appendingPathComponent("samples/digit_7.png").path)
    }
}

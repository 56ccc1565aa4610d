import Foundation
import Scene
import StrataCore
import Testing
@testable import UI

@Suite struct OutputSummaryTests {
    @Test func scoresGetASoftmaxAndLabelsThatFit() throws {
        let s = try #require(OutputSummary(output: Tensor(shape: [1, 3], floats: [1, 3, 2]), labels: ["cat", "dog", "emu"]))
        #expect(s.appliedSoftmax)
        #expect(s.top == 1)
        #expect(s.labels == ["cat", "dog", "emu"])
        #expect(abs(s.probabilities.reduce(0, +) - 1) < 1e-5)
        #expect(abs(s.probabilities[1] - 0.66524) < 1e-4)
    }

    @Test func probabilitiesStayAndWrongLabelCountsAreIgnored() throws {
        let s = try #require(OutputSummary(output: Tensor(shape: [4], floats: [0.1, 0.2, 0.6, 0.1]), labels: ["a", "b"]))
        #expect(!s.appliedSoftmax)
        #expect(s.probabilities == [0.1, 0.2, 0.6, 0.1])
        #expect(s.labels == ["0", "1", "2", "3"])
        #expect(s.top == 2)
        #expect(OutputSummary(output: Tensor(shape: [2], floats: [.nan, 1]), labels: nil) == nil)
    }

    @Test func largeOutputsChartTheirHighestClassesHighestFirst() throws {
        let values = (0..<100).map { Float(($0 * 37) % 100) }
        let s = try #require(OutputSummary(output: Tensor(shape: [100], floats: values), labels: nil))
        #expect(s.charted.count == OutputSummary.maxBars)
        #expect(s.charted.map { values[$0] } == (80..<100).reversed().map(Float.init))
        #expect(s.charted.first == s.top)
    }

    @Test func panelHighlightsTheTopClass() throws {
        let ui = UIContext(metrics: .approximate)
        let s = try #require(OutputSummary(output: Tensor(shape: [3], floats: [0.2, 0.7, 0.1]), labels: ["x", "y", "z"]))
        let list = frame(ui) { OutputPanel.draw(ui, summary: s) }
        var labelColors: [String: SIMD4<Float>] = [:]
        for case let .text(t) in list.commands { labelColors[t.string] = t.color }
        #expect(labelColors["y"] == UITheme.accent)
        #expect(labelColors["x"] == UITheme.text)
        #expect(texts(list).contains(" 70.0 %"))
    }

    @Test func toolbarCyclesTheColormapAndSetsTheViewMode() throws {
        let ui = UIContext(metrics: .approximate)
        var state = ViewState()
        var outcome = Toolbar.Outcome()
        let list = frame(ui) { outcome = Toolbar.draw(ui, viewState: &state, hasModel: true, busy: false) }
        #expect(outcome == Toolbar.Outcome())
        click(ui, at: try #require(position(of: "stack", in: list)))
        frame(ui) { outcome = Toolbar.draw(ui, viewState: &state, hasModel: true, busy: false) }
        #expect(state.mode == .stack && outcome.viewChanged)
        click(ui, at: try #require(position(of: ColormapName.standard.rawValue, in: list)))
        frame(ui) { outcome = Toolbar.draw(ui, viewState: &state, hasModel: true, busy: false) }
        #expect(state.colormap == .viridis)
        click(ui, at: try #require(position(of: "Open", in: list)))
        frame(ui) { outcome = Toolbar.draw(ui, viewState: &state, hasModel: true, busy: false) }
        #expect(outcome.command == .open)
        click(ui, at: try #require(position(of: "Run", in: list)))
        frame(ui) { outcome = Toolbar.draw(ui, viewState: &state, hasModel: false, busy: false) }
        #expect(outcome.command == nil, "Run is disabled without a model")
    }
}

import GLRenderer
import Scene
import StrataCore
import Testing
@testable import UI

/// The inspector's tabs, channel stepper, heat map and table driven by synthetic input, without GL.
@Suite struct InspectorPanelTests {
    let summary = LayerSummary(
        layer: Layer(name: "conv1", op: "Conv", nodes: [0], inputs: ["x"], outputs: ["y"], params: 0, layout: "NCHW"),
        graph: Graph(name: "g"), types: [:], trace: nil)

    /// A `width`×`height` ramp (0, 1, 2, … row by row) as channel `channel` of `channels`, range 0…cells−1.
    static func ramp(_ width: Int, _ height: Int, channel: Int = 0, channels: Int = 1) -> InspectorTensor {
        InspectorTensor(plane: (0..<(width * height)).map(Float.init), width: width, height: height, channel: channel,
                        channels: channels, lo: 0, hi: Float(width * height - 1), colormap: .viridis)
    }

    @discardableResult
    func draw(_ ui: UIContext, _ tensor: InspectorTensor?, _ state: inout InspectorState) -> OverlayDrawList {
        frame(ui) {
            InspectorPanel.draw(ui, summary: summary, tensor: tensor, state: &state, colormap: .viridis,
                                range: (0, 15), edge: .right, size: 340)
        }
    }

    /// The centre of the first rect filled with `color`.
    func centre(ofRectColored color: SIMD4<Float>, in list: OverlayDrawList) -> (x: Float, y: Float)? {
        for case let .rect(r) in list.commands where r.color == color { return (r.x + r.width / 2, r.y + r.height / 2) }
        return nil
    }

    /// The rect of the map's top-left cell (the start of its first row's run of equal colours): its corner is
    /// the map's, its height one cell.
    func firstCell(of tensor: InspectorTensor, in list: OverlayDrawList) -> OverlayDrawList.Rect? {
        let color = tensor.color(of: tensor.values[0])
        for case let .rect(r) in list.commands where r.color == color { return r }
        return nil
    }

    @Test func tabsSwitchBetweenSummaryHeatMapAndTable() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState()
        let tensor = Self.ramp(4, 4)
        var list = draw(ui, tensor, &state)
        #expect(texts(list).contains("op") && !texts(list).contains("point at a cell to read its value"))
        click(ui, at: try #require(position(of: "Heat map", in: list)))
        list = draw(ui, tensor, &state)
        #expect(state.tab == .heatMap && texts(list).contains("point at a cell to read its value"))
        #expect(texts(list).contains("Colour range (viridis)"))
        click(ui, at: try #require(position(of: "Table", in: list)))
        list = draw(ui, tensor, &state)
        #expect(state.tab == .table && texts(list).contains("rows 1–4 of 4  ·  page 1/1"))
        click(ui, at: try #require(position(of: "Summary", in: list)))
        draw(ui, tensor, &state)
        #expect(state.tab == .summary)
    }

    @Test func withoutAnActivationTheTensorViewsSaySo() {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .table)
        #expect(texts(draw(ui, nil, &state)).contains("No activation recorded: run the model."))
    }

    @Test func theChannelStepperStopsAtTheLastChannel() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .heatMap)
        var list = draw(ui, Self.ramp(4, 4, channel: state.channel, channels: 2), &state)
        #expect(texts(list).contains("channel 0 of 0–1  ·  4×4"))
        let forward = try #require(position(of: "▶", in: list))
        click(ui, at: forward)
        draw(ui, Self.ramp(4, 4, channel: state.channel, channels: 2), &state)
        list = draw(ui, Self.ramp(4, 4, channel: state.channel, channels: 2), &state)
        #expect(state.channel == 1 && texts(list).contains("channel 1 of 0–1  ·  4×4"))
        click(ui, at: forward, time: 5)
        draw(ui, Self.ramp(4, 4, channel: state.channel, channels: 2), &state)
        #expect(state.channel == 1)
    }

    @Test func theHeatMapAnnotatesCellsAndReadsTheValueUnderThePointer() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .heatMap)
        let tensor = Self.ramp(4, 4)
        var list = draw(ui, tensor, &state)
        let labels = texts(list)
        #expect((0..<16).allSatisfy { labels.contains(String($0)) })
        let cell = try #require(centre(ofRectColored: tensor.color(of: 6), in: list))
        ui.feed(.mouseMoved(x: cell.x, y: cell.y))
        list = draw(ui, tensor, &state)
        #expect(texts(list).contains("x 2, y 1 = 6"))
    }

    @Test func theWheelZoomsAboutThePointerAndLargeMapsAreDownsampled() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .heatMap)
        let tensor = Self.ramp(28, 28)
        var list = draw(ui, tensor, &state)
        let rect = try #require(firstCell(of: tensor, in: list))
        let cellSize = rect.height
        let pointer = (x: rect.x + 20.5 * cellSize, y: rect.y + 10.5 * cellSize)
        ui.feed(.mouseMoved(x: pointer.x, y: pointer.y))
        list = draw(ui, tensor, &state)
        #expect(texts(list).contains("x 20, y 10 = 300"))
        ui.feed(.scrolled(dy: 1, x: pointer.x, y: pointer.y))
        draw(ui, tensor, &state)
        #expect(state.zoom == 1, "the wheel zooms in")
        list = draw(ui, tensor, &state)
        #expect(texts(list).contains("14×14 of 28×28"))
        #expect(texts(list).contains("x 20, y 10 = 300"), "the zoom keeps the cell under the pointer")
        ui.feed(.scrolled(dy: -1, x: pointer.x, y: pointer.y))
        draw(ui, tensor, &state)
        #expect(state.zoom == 0 && state.originX == 0 && state.originY == 0)
        var big = InspectorState(tab: .heatMap)
        let large = draw(ui, Self.ramp(300, 300), &big)
        let rects = large.commands.filter { if case .rect = $0 { true } else { false } }.count
        #expect(rects < HeatMapWindow.maxCells * HeatMapWindow.maxCells + 200)
        #expect(texts(large).contains("300×300 of 300×300, step 10"))
        #expect(!texts(large).contains("1"))
    }

    @Test func aDragPansTheZoomedMapWithinItsBounds() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .heatMap)
        state.zoom = 1
        let tensor = Self.ramp(28, 28)
        let list = draw(ui, tensor, &state)
        let rect = try #require(firstCell(of: tensor, in: list))
        let cellSize = rect.height
        let start = (x: rect.x + 7 * cellSize, y: rect.y + 7 * cellSize)
        ui.feed(.mouseMoved(x: start.x, y: start.y))
        ui.feed(.mouseButton(pressed: true, x: start.x, y: start.y))
        draw(ui, tensor, &state)
        ui.feed(.mouseMoved(x: start.x - 3 * cellSize, y: start.y - 2 * cellSize))
        draw(ui, tensor, &state)
        #expect(abs(state.originX - 3) < 0.01 && abs(state.originY - 2) < 0.01)
        ui.feed(.mouseMoved(x: start.x - 100 * cellSize, y: start.y + 100 * cellSize))
        draw(ui, tensor, &state)
        #expect(state.originX == 14 && state.originY == 0)
        ui.feed(.mouseButton(pressed: false, x: start.x, y: start.y))
        draw(ui, tensor, &state)
        #expect(state.drag == nil)
    }

    @Test func theTablePagesWithKeysAndTheWheelWhileHovered() throws {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .table)
        let tensor = Self.ramp(3, 112)
        var list = draw(ui, tensor, &state)
        let pageLabel = try #require(texts(list).first { $0.hasPrefix("rows 1–") })
        let shown = try #require(Int(pageLabel.dropFirst("rows 1–".count).prefix { $0.isNumber }))
        #expect(shown > 5 && pageLabel.hasSuffix("of 112  ·  page 1/\((112 + shown - 1) / shown)"))
        #expect(ui.feed(.key(.pageDown)) == false)
        let header = try #require(position(of: "y \\ x", in: list))
        ui.feed(.mouseMoved(x: header.x, y: header.y))
        draw(ui, tensor, &state)
        #expect(ui.feed(.key(.pageDown)))
        list = draw(ui, tensor, &state)
        #expect(state.firstRow == shown && texts(list).contains(UIFormat.number(Float(shown * 3))))
        ui.feed(.scrolled(dy: -1, x: header.x, y: header.y))
        draw(ui, tensor, &state)
        #expect(state.firstRow == shown + 3)
        ui.feed(.key(.end))
        draw(ui, tensor, &state)
        #expect(state.firstRow == 112 - shown)
    }

    @Test func aVectorTableListsIndexAndValue() {
        let ui = UIContext(metrics: .approximate)
        var state = InspectorState(tab: .table)
        let vector = InspectorTensor(vector: [0.5, -2, 7], lo: -2, hi: 7)
        let list = draw(ui, vector, &state)
        #expect(texts(list).contains("index") && texts(list).contains("value") && texts(list).contains("-2"))
        #expect(texts(list).contains("3 values, wrapped 2 per row"))
    }
}

import Scene
import StrataCore
import Testing
@testable import UI

@Suite struct TablePagerTests {
    @Test func pagesThroughRowsAndClampsTheLastPageFull() {
        var rows = TablePager(count: 112, pageSize: 50)
        #expect(rows.label("rows") == "rows 1–50 of 112" && rows.visible == 0..<50 && rows.isPaged)
        #expect(rows.page == (1, 3))
        rows.pageDown()
        #expect(rows.label("rows") == "rows 51–100 of 112" && rows.page == (2, 3))
        rows.pageDown()
        #expect(rows.first == 62 && rows.label("rows") == "rows 63–112 of 112" && rows.page == (3, 3))
        rows.pageDown()
        #expect(rows.first == 62)
        rows.pageUp()
        #expect(rows.first == 12)
        rows.scroll(by: -100)
        #expect(rows.first == 0)
        rows.end()
        #expect(rows.first == rows.lastFirst && rows.lastFirst == 62)
        rows.home()
        #expect(rows.first == 0)
    }

    @Test func clampsTheStartAndHandlesShortAndEmptyTables() {
        #expect(TablePager(count: 112, pageSize: 50, first: 500).first == 62)
        #expect(TablePager(count: 112, pageSize: 50, first: -3).first == 0)
        let short = TablePager(count: 7, pageSize: 50, first: 4)
        #expect(short.first == 0 && short.visible == 0..<7 && !short.isPaged && short.label("rows") == "rows 1–7 of 7")
        let empty = TablePager(count: 0, pageSize: 10)
        #expect(empty.visible.isEmpty && empty.label("rows") == "rows 0 of 0" && empty.page == (1, 1))
        #expect(TablePager(count: 5, pageSize: 0).pageSize == 1)
    }
}

@Suite struct HeatMapWindowTests {
    @Test func fitsTheWholeMapThenHalvesTheCellsShownPerZoomStep() {
        let fit = HeatMapWindow(width: 28, height: 28, zoom: 0, originX: 0, originY: 0, boxWidth: 224, boxHeight: 224)
        #expect(fit.spanX == 28 && fit.spanY == 28 && fit.step == 1 && fit.columns == 28 && fit.cellSize == 8)
        let zoomed = HeatMapWindow(width: 28, height: 28, zoom: 1, originX: 7, originY: 3, boxWidth: 224, boxHeight: 224)
        #expect(zoomed.spanX == 14 && zoomed.cellSize == 16 && zoomed.originX == 7 && zoomed.originY == 3)
        #expect(HeatMapWindow.span(full: 28, zoom: 2) == 7 && HeatMapWindow.span(full: 28, zoom: 9) == HeatMapWindow.minSpan)
        #expect(HeatMapWindow.maxZoom(width: 28, height: 28) == 4)
        #expect(HeatMapWindow.maxZoom(width: 2, height: 1) == 0)
    }

    @Test func clampsThePanInsideTheMap() {
        let far = HeatMapWindow(width: 28, height: 28, zoom: 1, originX: 100, originY: -5, boxWidth: 200, boxHeight: 200)
        #expect(far.originX == 14 && far.originY == 0)
        let nan = HeatMapWindow(width: 28, height: 28, zoom: 1, originX: .nan, originY: .infinity, boxWidth: 200, boxHeight: 200)
        #expect(nan.originX == 0 && nan.originY == 0)
    }

    @Test func downsamplesLargeMapsToAtMostMaxCellsPerSide() {
        let big = HeatMapWindow(width: 224, height: 224, zoom: 0, originX: 0, originY: 0, boxWidth: 320, boxHeight: 320)
        #expect(big.step == 7 && big.columns == 32 && big.rows == 32 && big.cellSize == 10)
        #expect(big.block(column: 31, row: 0) == (217..<224, 0..<7))
        let strip = HeatMapWindow(width: 1000, height: 10, zoom: 0, originX: 0, originY: 0, boxWidth: 320, boxHeight: 40)
        #expect(strip.step == 32 && strip.columns == 32 && strip.rows == 1)
        #expect(strip.block(column: 31, row: 0) == (992..<1000, 0..<10))
        let huge = HeatMapWindow(width: 100_000, height: 100_000, zoom: 0, originX: 0, originY: 0, boxWidth: 300, boxHeight: 300)
        #expect(huge.columns <= HeatMapWindow.maxCells && huge.rows <= HeatMapWindow.maxCells)
    }

    @Test func findsTheExactCellUnderThePointerAlsoWhenDownsampled() {
        let zoomed = HeatMapWindow(width: 28, height: 28, zoom: 1, originX: 7, originY: 7, boxWidth: 224, boxHeight: 224)
        #expect(zoomed.cell(atX: 17, y: 33).map { [$0.x, $0.y] } == [8, 9])
        #expect(zoomed.cell(atX: 223.9, y: 0).map { [$0.x, $0.y] } == [20, 7])
        #expect(zoomed.cell(atX: 224, y: 0) == nil && zoomed.cell(atX: -1, y: 3) == nil)
        let big = HeatMapWindow(width: 224, height: 224, zoom: 0, originX: 0, originY: 0, boxWidth: 320, boxHeight: 320)
        #expect(big.cell(atX: 15, y: 1).map { [$0.x, $0.y] } == [10, 0])
        let p = zoomed.position(atX: 32, y: 16)
        #expect(p.x == 9 && p.y == 8)
        let o = zoomed.origin(keeping: (9, 8), atX: 32, y: 16)
        #expect(o.x == 7 && o.y == 7)
    }

    @Test func aDownsampledCellShowsTheMeanOfItsFiniteCells() {
        let t = InspectorTensor(plane: [1, 3, .nan, 5, .nan, .nan], width: 3, height: 2, lo: 0, hi: 1)
        #expect(HeatMapView.sample(t, (0..<2, 0..<1)) == 2)
        #expect(HeatMapView.sample(t, (0..<2, 0..<2)) == 3)
        #expect(HeatMapView.sample(t, (2..<3, 0..<1))?.isNaN == true)
        let inf = InspectorTensor(plane: [.infinity, 1], width: 2, height: 1, lo: 0, hi: 1)
        #expect(HeatMapView.sample(inf, (0..<1, 0..<1)) == .infinity)
        #expect(HeatMapView.sample(t, (1..<3, 1..<2))?.isNaN == true)
        let v = InspectorTensor(vector: [1, 2, 3, 4, 5], lo: 0, hi: 1)
        #expect(HeatMapView.sample(v, (0..<3, 1..<2)) == 4.5)
        #expect(HeatMapView.sample(v, (2..<3, 1..<2)) == nil)
    }
}

@Suite struct InspectorTensorTests {
    @Test func readsTheSameChannelFromNCHWAndNHWC() throws {
        let (c, h, w) = (2, 2, 3)
        let nchw = (0..<(c * h * w)).map(Float.init)
        var nhwc = [Float](repeating: 0, count: nchw.count)
        for ch in 0..<c { for y in 0..<h { for x in 0..<w { nhwc[(y * w + x) * c + ch] = nchw[(ch * h + y) * w + x] } } }
        let a = Tensor(shape: [1, c, h, w], floats: nchw)
        let b = Tensor(shape: [1, h, w, c], floats: nhwc)
        let refA = TensorRef(value: "a", shape: a.shape, layout: .nchw)
        let refB = TensorRef(value: "b", shape: b.shape, layout: .nhwc)
        let ta = try #require(InspectorTensor(tensor: a, ref: refA, channel: 1, lo: 0, hi: 11, colormap: .viridis))
        let tb = try #require(InspectorTensor(tensor: b, ref: refB, channel: 1, lo: 0, hi: 11, colormap: .viridis))
        #expect(ta.values == [6, 7, 8, 9, 10, 11] && ta.values == tb.values)
        #expect(ta.width == 3 && ta.height == 2 && ta.channels == 2 && ta.channel == 1 && !ta.isVector)
        #expect(ta.value(x: 2, y: 1) == 11 && ta.value(x: 3, y: 0) == nil && ta.cellName(x: 2, y: 1) == "x 2, y 1")
        let clamped = try #require(InspectorTensor(tensor: a, ref: refA, channel: 9, lo: 0, hi: 1, colormap: .viridis))
        #expect(clamped.channel == 1)
    }

    @Test func wrapsAVectorIntoANearSquareGrid() throws {
        let t = Tensor(shape: [1, 10], floats: (0..<10).map(Float.init))
        let ref = TensorRef(value: "p", shape: t.shape, layout: .nchw)
        let v = try #require(InspectorTensor(tensor: t, ref: ref, channel: 3, lo: 0, hi: 9, colormap: .standard))
        #expect(v.isVector && v.width == 4 && v.height == 3 && v.count == 10 && v.channel == 0)
        #expect(v.value(x: 1, y: 2) == 9 && v.value(x: 2, y: 2) == nil && v.cellName(x: 1, y: 2) == "[9]")
        let pooled = Tensor(shape: [1, 3, 1, 1], floats: [4, 5, 6])
        let pooledRef = TensorRef(value: "g", shape: pooled.shape, layout: .nchw)
        let g = try #require(InspectorTensor(tensor: pooled, ref: pooledRef, channel: 0, lo: 0, hi: 9, colormap: .standard))
        #expect(g.isVector && g.values == [4, 5, 6] && InspectorTensor.channelCount(pooledRef) == 1)
        let one = InspectorTensor(vector: [7], lo: 0, hi: 1)
        #expect(one.width == 1 && one.height == 1)
    }

    @Test func refusesATensorSmallerThanItsShape() {
        let t = Tensor(shape: [1, 1, 2, 2], floats: [0, 1, 2, 3])
        let ref = TensorRef(value: "x", shape: [1, 1, 4, 4], layout: .nchw)
        #expect(InspectorTensor(tensor: t, ref: ref, channel: 0, lo: 0, hi: 1, colormap: .standard) == nil)
    }
}

@Suite struct InspectorStateTests {
    @Test func followsTheSelectionAndResetsViewsForANewLayer() {
        var s = InspectorState(tab: .heatMap)
        var changed = false
        changed = s.follow(Selection(layer: "conv1", channel: 3))
        #expect(changed)
        #expect(s.channel == 3)
        s.zoom = 2
        s.originX = 5
        s.firstRow = 9
        changed = s.follow(Selection(layer: "conv1", channel: 3))
        #expect(!changed)
        changed = s.follow(Selection(layer: "conv1", channel: 4))
        #expect(changed)
        #expect(s.channel == 4 && s.zoom == 2 && s.originX == 5)
        changed = s.follow(Selection(layer: "conv1", channel: nil))
        #expect(changed)
        #expect(s.channel == 4)
        changed = s.follow(Selection(layer: "conv2"))
        #expect(changed)
        #expect(s.channel == 0 && s.zoom == 0 && s.originX == 0 && s.firstRow == 0 && s.tab == .heatMap)
    }

    @Test func theChannelStepperStaysInsideTheChannels() {
        var s = InspectorState()
        var changed = false
        changed = s.stepChannel(by: -1, count: 6)
        #expect(!changed)
        changed = s.stepChannel(by: 1, count: 6)
        #expect(changed && s.channel == 1)
        changed = s.stepChannel(by: 10, count: 6)
        #expect(changed && s.channel == 5)
        changed = s.stepChannel(by: 1, count: 6)
        #expect(!changed)
        s.clampChannel(count: 3)
        #expect(s.channel == 2)
        s.clampChannel(count: 0)
        #expect(s.channel == 0)
    }
}

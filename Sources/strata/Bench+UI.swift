import GLRenderer
import Runtime
import Scene
import StrataCore
import UI

/// The viewer's panels as `strata bench --frames N --ui` draws them over the scene, built anew each frame as
/// the viewer does: the toolbar, the input panel with a painted drawing pad, the output chart, and the
/// inspector showing the first open layer's heat map with its values.
final class BenchUIFrame {
    private var ui: UIContext?
    private var viewState: ViewState
    private var inputPanel: InputPanelState
    private var inspector = InspectorState(tab: .heatMap)
    private let output: OutputSummary?
    private let summary: LayerSummary?
    private let heatMap: InspectorTensor?
    private let range: (lo: Float, hi: Float)?

    /// The panels for `model` run as `trace`, with `open` layers' feature maps open in the scene.
    init(model: Model, types: [String: TensorType], trace: Trace, open: [String], mode: ViewMode) {
        let graph = model.graph
        viewState = ViewState(expanded: Set(open), mode: mode)
        output = graph.outputs.first.flatMap { trace.tensor(named: $0.name) }.flatMap { OutputSummary(output: $0, labels: nil) }
        var pad: DrawingPad?
        if let input = graph.inputs.first(where: { graph.initializers[$0.name] == nil }),
           let geometry = ImageInput.geometry(of: input) {
            var painted = DrawingPad(width: geometry.width, height: geometry.height)
            let w = Float(geometry.width), h = Float(geometry.height)
            _ = painted.stroke(to: w * 0.5, h * 0.15)
            _ = painted.stroke(to: w * 0.5, h * 0.85)
            painted.endStroke()
            pad = painted
        }
        inputPanel = InputPanelState(pad: pad)
        let layer = graph.layers.first { open.contains($0.name) } ?? graph.layers.first
        summary = layer.map { LayerSummary(layer: $0, graph: graph, types: types, trace: trace) }
        if let layer, let value = layer.shownValue, let tensor = trace.tensor(named: value), let stats = trace.stats(named: value) {
            let ref = TensorRef(value: value, shape: tensor.shape, layout: layer.layout == "NHWC" ? .nhwc : .nchw)
            heatMap = InspectorTensor(tensor: tensor, ref: ref, channel: 0, lo: stats.min, hi: stats.max, colormap: .standard)
            range = (stats.min, stats.max)
            inspector.follow(Selection(layer: layer.name))
        } else {
            (heatMap, range) = (nil, nil)
        }
    }

    /// This frame's panels for a `width`×`height` framebuffer, and the area their docks leave for the 3D view.
    func build(metrics: FontMetrics, width: Int, height: Int)
        -> (list: OverlayDrawList, visible: (x: Int, y: Int, width: Int, height: Int)?) {
        let ui = self.ui ?? UIContext(metrics: metrics)
        self.ui = ui
        ui.beginFrame(width: Float(width), height: Float(height), reservedBottom: 14 * 3 + 6)
        _ = Toolbar.draw(ui, viewState: &viewState, hasModel: true, busy: false, canSnapshot: true)
        _ = InputPanel.draw(ui, state: &inputPanel, samples: [], current: "bench")
        ui.beginDock(.right, size: 340)
        if let output { OutputPanel.draw(ui, summary: output) }
        if let summary {
            InspectorPanel.draw(ui, summary: summary, tensor: heatMap, state: &inspector, colormap: viewState.colormap,
                                range: range, edge: .top, size: ui.available.height)
        }
        ui.endDock()
        return (ui.endFrame(), ui.viewArea)
    }
}

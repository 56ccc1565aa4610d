import Scene
import StrataCore
import UI

/// The inspector's tensor views between frames: their state (tab, channel, zoom, table position) and the
/// channel last read from the activations, so a frame reads nothing when nothing changed. Main thread only.
final class InspectorViews {
    var state = InspectorState()
    private var cache: (key: String, tensor: InspectorTensor?)?

    /// The cached tensor for `key`, or `make()`'s result stored under it.
    func tensor(key: String, _ make: () -> InspectorTensor?) -> InspectorTensor? {
        if let cache, cache.key == key { return cache.tensor }
        let tensor = make()
        cache = (key, tensor)
        return tensor
    }
}

extension ViewerApp {
    /// The channel of the selected layer's activation the inspector's heat map and table show (the channel
    /// picked in the scene, else the inspector's stepper), read in the layout the scene reads it in, with
    /// the colormap and range the scene draws it with; nil when the layer has no recorded activation (or the
    /// summary tab, which shows none, is open).
    func inspectorTensor(for selection: Selection, in document: ViewerDocument) -> InspectorTensor? {
        let views = uiState.inspector
        views.state.follow(selection)
        guard views.state.tab != .summary, let activations = document.activations,
              let layer = document.model.graph.layers.first(where: { $0.name == selection.layer }),
              let value = layer.shownValue, let tensor = activations.tensor(named: value)
        else { return nil }
        let ref = tensorRef(layer: layer, value: value, shape: tensor.shape)
        views.state.clampChannel(count: InspectorTensor.channelCount(ref))
        let channel = views.state.channel
        let colormap = controller.viewState.colormap
        let range = rangeInUse(layer: layer.name, channel: channel) ?? statsRange(activations.stats(named: value))
        let run = document.trace.map { "\($0.totalSeconds)|\($0.order.count)" } ?? "stored"
        let key = "\(document.model.path)|\(run)|\(value)|\(channel)|\(range.lo)|\(range.hi)|\(colormap)"
        return views.tensor(key: key) {
            InspectorTensor(tensor: tensor, ref: ref, channel: channel, lo: range.lo, hi: range.hi, colormap: colormap)
        }
    }

    /// How the scene reads `value`: the layout of the layer's feature maps when they are open, else the
    /// layer's source layout (NHWC for Keras, NCHW for ONNX), as the scene builder decides it.
    private func tensorRef(layer: Layer, value: String, shape: [Int]) -> TensorRef {
        let shown = controller.scene.items.first { $0.layer == layer.name && $0.tensor?.value == value }?.tensor
        let layout = shown?.layout ?? (layer.layout == "NHWC" ? .nhwc : .nchw)
        return TensorRef(value: value, shape: shape, layout: layout)
    }

    /// The layer's own min and max (symmetric about zero for a diverging colormap) when the scene shows no
    /// feature maps of it to take the range from.
    private func statsRange(_ stats: ActivationStats?) -> (lo: Float, hi: Float) {
        guard let stats else { return (0, 1) }
        guard controller.viewState.colormap.isDiverging else { return (stats.min, stats.max) }
        let m = max(abs(stats.min), abs(stats.max))
        return (-m, m)
    }
}

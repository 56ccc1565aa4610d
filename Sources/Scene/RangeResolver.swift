import StrataCore

/// Decides the value range (lo, hi) each tensor-backed item maps onto its colormap, per `ViewState.rangeMode`.
struct RangeResolver {
    private var layerRanges: [String: (Float, Float)] = [:]
    private var channelRanges: [String: [(Float, Float)]] = [:]
    private var global: (Float, Float)?
    let mode: RangeMode
    let diverging: Bool

    init(plans: [String: FeatureMapPlan], trace: (any ActivationSource)?, viewState: ViewState) {
        mode = viewState.rangeMode
        diverging = viewState.colormap.isDiverging
        for (name, plan) in plans {
            guard let s = trace?.stats(named: plan.value) else { continue }
            layerRanges[name] = (s.min, s.max)
            if mode == .channel, let t = trace?.tensor(named: plan.value) {
                channelRanges[name] = RangeResolver.perChannel(t, dims: plan.dims)
            }
        }
        if mode == .global, !layerRanges.isEmpty {
            global = (layerRanges.values.map(\.0).min()!, layerRanges.values.map(\.1).max()!)
        }
    }

    /// The range of `channel` of `layer` (nil for the whole layer).
    func range(layer: String, channel: Int?) -> (lo: Float, hi: Float) {
        var r: (Float, Float) = (0, 1)
        switch mode {
        case .global: r = global ?? layerRanges[layer] ?? r
        case .layer: r = layerRanges[layer] ?? r
        case .channel:
            if let c = channel, let ranges = channelRanges[layer], c < ranges.count {
                r = ranges[c]
            } else {
                r = layerRanges[layer] ?? r
            }
        }
        if diverging {
            let m = max(abs(r.0), abs(r.1))
            return (-m, m)
        }
        return r
    }

    /// Min and max of the finite values of each channel of batch 0.
    static func perChannel(_ tensor: Tensor, dims: FeatureMapDims) -> [(Float, Float)] {
        let c = dims.channels
        let hw = dims.height * dims.width
        var lo = [Float](repeating: .infinity, count: c)
        var hi = [Float](repeating: -.infinity, count: c)
        tensor.withFloatsConverted { src in
            guard src.count >= c * hw else { return }
            for ch in 0..<c {
                for p in 0..<hw {
                    let v = dims.layout == .nhwc ? src[p * c + ch] : src[ch * hw + p]
                    if v.isFinite {
                        lo[ch] = min(lo[ch], v)
                        hi[ch] = max(hi[ch], v)
                    }
                }
            }
        }
        return (0..<c).map { lo[$0] <= hi[$0] ? (lo[$0], hi[$0]) : (0, 1) }
    }
}

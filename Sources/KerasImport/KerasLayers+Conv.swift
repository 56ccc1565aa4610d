import Foundation
import StrataCore

/// Window geometry of a convolution or pooling over H and W (1-D layers run as 2-D ones with H = 1).
struct Window {
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    /// ONNX `pads` (`[top, left, bottom, right]`), or nil for "same" padding of an unknown size.
    var pads: [Int]?
    /// Output sizes, when the input sizes are known.
    var outputs: [Int?]

    /// Keras padding: "valid", "same" (extra row/column at the bottom/right, as TensorFlow), "causal".
    init(inputs: [Int?], kernel: [Int], strides: [Int], dilations: [Int], padding: String) throws(ImportError) {
        self.kernel = kernel
        self.strides = strides
        self.dilations = dilations
        var before: [Int] = []
        var after: [Int] = []
        var known = true
        outputs = []
        for i in kernel.indices {
            let k = (kernel[i] - 1) * dilations[i] + 1
            let s = strides[i]
            let size = inputs[i]
            switch padding {
            case "valid":
                before.append(0)
                after.append(0)
                outputs.append(size.map { ($0 - k) / s + 1 })
            case "causal":
                before.append(k - 1)
                after.append(0)
                outputs.append(size.map { ($0 - 1) / s + 1 })
            case "same":
                guard let size else { known = false; outputs.append(nil); continue }
                let out = (size + s - 1) / s
                let total = max((out - 1) * s + k - size, 0)
                before.append(total / 2)
                after.append(total - total / 2)
                outputs.append(out)
            default:
                throw .invalid(file: "", problem: "padding '\(padding)'")
            }
        }
        pads = known ? before + after : nil
    }

    /// Lifts a 1-D window to 2-D with a unit H axis.
    func lifted() -> Window {
        var w = self
        w.kernel = [1] + kernel
        w.strides = [1] + strides
        w.dilations = [1] + dilations
        w.pads = pads.map { [0, $0[0], 0, $0[1]] }
        w.outputs = [1] + outputs
        return w
    }

    /// ONNX attributes of Conv / MaxPool / AveragePool.
    func attributes(dilated: Bool = true) -> [String: Attribute] {
        var a: [String: Attribute] = ["kernel_shape": .ints(kernel), "strides": .ints(strides)]
        if dilated { a["dilations"] = .ints(dilations) }
        if let pads { a["pads"] = .ints(pads) } else { a["auto_pad"] = .string("SAME_UPPER") }
        return a
    }
}

extension LayerEmitter {
    /// The number of spatial axes of the layer (`Conv1D` → 1), from its class name.
    var spatialRank: Int { spec.className.contains("1D") ? 1 : 2 }

    /// The layer's window from `kernel_size`/`pool_size`, `strides`, `dilation_rate`, `padding`.
    func window(sizeKey: String, defaultStridesToSize: Bool = false) throws(ImportError) -> Window {
        let n = spatialRank
        guard let size = config.ints(sizeKey, count: n) else { throw fail("no '\(sizeKey)'") }
        let strides = config.ints("strides", count: n) ?? (defaultStridesToSize ? size : Array(repeating: 1, count: n))
        let dilations = config.ints("dilation_rate", count: n) ?? Array(repeating: 1, count: n)
        let inputs = (1...n).map { inputDim($0) }
        let padding = config.string("padding") ?? "valid"
        guard (size + strides + dilations).allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
            throw fail("window \(size), strides \(strides), dilations \(dilations) must be positive")
        }
        do {
            return try Window(inputs: inputs, kernel: size, strides: strides, dilations: dilations, padding: padding)
        } catch {
            throw fail("unsupported padding '\(padding)'")
        }
    }

    /// NHWC (or NWC) → NCHW, running `body` on the NCHW value, then back to the input's layout.
    mutating func inNCHW(_ x: String, _ body: (inout LayerEmitter, String) throws(ImportError) -> String) throws(ImportError) -> String {
        let oneD = spatialRank == 1
        let nchw = oneD ? nwcToNCHW(x) : toNCHW(x)
        let y = try body(&self, nchw)
        return oneD ? nchwToNWC(y) : toNHWC(y)
    }

    /// Output shape `[N, spatial..., channels]`.
    func spatialShape(_ w: Window, channels: Int?) -> [Dim] {
        [inputShape?.first ?? .symbol("N")] + w.outputs.map { dim($0) } + [dim(channels)]
    }
}

extension KerasLayers {
    /// Conv1D / Conv2D (with groups and dilation): HWIO kernel → OIHW, Conv in NCHW, activation in NHWC.
    static func conv(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let filters = e.config.int("filters"), filters >= 1 else { throw e.fail("no 'filters'") }
        let groups = e.config.int("groups") ?? 1
        guard groups >= 1 else { throw e.fail("groups \(groups) must be positive") }
        let w = try e.window(sizeKey: "kernel_size")
        let cin = e.inputDim(-1)
        var kernel = try e.weight("kernel", shape: w.kernel.map { $0 } + [cin.map { $0 / groups }, filters])
        if e.spatialRank == 1 { kernel = kernel.reshaped([1] + kernel.shape) }
        var inputs = ["", e.constant("kernel", WeightLayout.convKernel(kernel))]
        if e.config.bool("use_bias", default: true) { inputs.append(e.constant("bias", try e.weight("bias", shape: [filters]))) }
        let geometry = e.spatialRank == 1 ? w.lifted() : w
        var attributes = geometry.attributes()
        attributes["group"] = .int(groups)
        let y = try e.inNCHW(e.input) { e, x throws(ImportError) in
            inputs[0] = x
            return e.node("Conv", inputs, attributes)
        }
        try e.activate(y, e.config["activation"])
        return e.spatialShape(w, channels: filters)
    }

    /// DepthwiseConv2D: kernel (kh, kw, C, M) → grouped Conv with group = C.
    static func depthwiseConv(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let multiplier = e.config.int("depth_multiplier") ?? 1
        let w = try e.window(sizeKey: "kernel_size")
        guard let channels = e.inputDim(-1), channels >= 1, multiplier >= 1 else { throw e.fail("input channels unknown") }
        let kernel = try e.weight("depthwise_kernel", shape: w.kernel.map { $0 } + [channels, multiplier])
        var inputs = ["", e.constant("kernel", WeightLayout.depthwiseKernel(kernel))]
        if e.config.bool("use_bias", default: true) {
            inputs.append(e.constant("bias", try e.weight("bias", shape: [channels * multiplier])))
        }
        var attributes = w.attributes()
        attributes["group"] = .int(channels)
        let y = try e.inNCHW(e.input) { e, x throws(ImportError) in
            inputs[0] = x
            return e.node("Conv", inputs, attributes)
        }
        try e.activate(y, e.config["activation"])
        return e.spatialShape(w, channels: channels * multiplier)
    }

    /// SeparableConv2D: depthwise Conv (group = C) then pointwise 1×1 Conv with the bias.
    static func separableConv(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let filters = e.config.int("filters") else { throw e.fail("no 'filters'") }
        let multiplier = e.config.int("depth_multiplier") ?? 1
        let w = try e.window(sizeKey: "kernel_size")
        guard let channels = e.inputDim(-1), channels >= 1, multiplier >= 1 else { throw e.fail("input channels unknown") }
        let depthwise = try e.weight("depthwise_kernel", shape: w.kernel.map { $0 } + [channels, multiplier])
        let pointwise = try e.weight("pointwise_kernel", shape: [1, 1, channels * multiplier, filters])
        let depthwiseName = e.constant("depthwise_kernel", WeightLayout.depthwiseKernel(depthwise))
        var pointwiseInputs = ["", e.constant("pointwise_kernel", WeightLayout.convKernel(pointwise))]
        if e.config.bool("use_bias", default: true) { pointwiseInputs.append(e.constant("bias", try e.weight("bias", shape: [filters]))) }
        var attributes = w.attributes()
        attributes["group"] = .int(channels)
        let y = try e.inNCHW(e.input) { e, x throws(ImportError) in
            let d = e.node("Conv", [x, depthwiseName], attributes, tag: "depthwise")
            pointwiseInputs[0] = d
            return e.node("Conv", pointwiseInputs, ["kernel_shape": .ints([1, 1])], tag: "pointwise")
        }
        try e.activate(y, e.config["activation"])
        return e.spatialShape(w, channels: filters)
    }

    /// Conv2DTranspose: kernel (kh, kw, out, in) → ConvTranspose weight (in, out, kh, kw). The output size
    /// is Keras'; pads crop what the full transposed convolution has beyond it (the extra at the bottom/right).
    static func convTranspose(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let filters = e.config.int("filters"), let k = e.config.ints("kernel_size", count: 2) else { throw e.fail("no 'filters'") }
        let s = e.config.ints("strides", count: 2) ?? [1, 1]
        let d = e.config.ints("dilation_rate", count: 2) ?? [1, 1]
        let padding = e.config.string("padding") ?? "valid"
        let outputPadding = e.config.ints("output_padding", count: 2)
        guard (k + s + d).allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else { throw e.fail("kernel, strides and dilations must be positive") }
        let kernel = try e.weight("kernel", shape: k + [filters, e.inputDim(-1)])
        var inputs = ["", e.constant("kernel", WeightLayout.convTransposeKernel(kernel))]
        if e.config.bool("use_bias", default: true) { inputs.append(e.constant("bias", try e.weight("bias", shape: [filters]))) }
        var before = [0, 0], after = [0, 0], extra = [0, 0], outs: [Int?] = [nil, nil]
        for i in 0..<2 {
            guard let size = e.inputDim(1 + i) else { throw e.fail("input size unknown") }
            let keff = (k[i] - 1) * d[i] + 1
            let target: Int
            if let op = outputPadding?[i] {
                target = (size - 1) * s[i] + keff - 2 * (padding == "same" ? keff / 2 : 0) + op
            } else {
                target = padding == "same" ? size * s[i] : size * s[i] + max(keff - s[i], 0)
            }
            let full = (size - 1) * s[i] + keff
            if full >= target {
                before[i] = padding == "same" ? (full - target) / 2 : 0
                after[i] = full - target - before[i]
            } else {
                extra[i] = target - full
            }
            outs[i] = target
        }
        let attributes: [String: Attribute] = [
            "kernel_shape": .ints(k), "strides": .ints(s), "dilations": .ints(d), "pads": .ints(before + after),
            "output_padding": .ints(extra),
        ]
        let y = try e.inNCHW(e.input) { e, x throws(ImportError) in
            inputs[0] = x
            return e.node("ConvTranspose", inputs, attributes)
        }
        try e.activate(y, e.config["activation"])
        return [e.inputShape?.first ?? .symbol("N")] + outs.map { dim($0) } + [.value(filters)]
    }
}

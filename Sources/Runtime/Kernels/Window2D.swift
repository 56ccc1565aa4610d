import StrataCore

/// Sliding-window geometry of Conv and the pools over a 2-D image; 1-D inputs are images of height 1.
struct Window2D: Equatable {
    var kernelH = 1, kernelW = 1
    var strideH = 1, strideW = 1
    var dilationH = 1, dilationW = 1
    /// ONNX order per axis: begin (top, left) and end (bottom, right). May be negative for ConvTranspose.
    var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    var inH = 1, inW = 1
    var outH = 1, outW = 1

    /// Kernel extent with dilation, `(k - 1) · d + 1`.
    var spanH: Int { (kernelH - 1) * dilationH + 1 }
    var spanW: Int { (kernelW - 1) * dilationW + 1 }
}

/// Per-axis window attributes read from a node, before they are mapped to 2-D.
struct WindowAttributes {
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var autoPad: String

    /// Reads `strides`, `dilations`, `pads`, `auto_pad` for `kernel.count` spatial axes, checking their lengths.
    init(_ node: Node, kernel: [Int]) throws {
        let n = kernel.count
        self.kernel = kernel
        strides = node.ints("strides") ?? Array(repeating: 1, count: n)
        dilations = node.ints("dilations") ?? Array(repeating: 1, count: n)
        let pads = node.ints("pads") ?? Array(repeating: 0, count: 2 * n)
        autoPad = node.string("auto_pad", default: "NOTSET")
        guard strides.count == n, dilations.count == n, pads.count == 2 * n else {
            throw node.invalid("strides \(strides), dilations \(dilations) or pads \(pads) do not fit a \(n)-D kernel")
        }
        guard kernel.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }) else {
            throw node.invalid("kernel \(kernel), strides \(strides) and dilations \(dilations) must be positive")
        }
        padsBegin = Array(pads[0..<n])
        padsEnd = Array(pads[n...])
    }

    /// Resolves padding and output size for input spatial dims `spatial` (Conv and pools; `ceilMode` for pools).
    func forward(_ node: Node, spatial: [Int], ceilMode: Bool = false) throws -> Window2D {
        var begin = padsBegin, end = padsEnd, out = [Int](repeating: 0, count: spatial.count)
        for i in spatial.indices {
            let span = (kernel[i] - 1) * dilations[i] + 1
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                out[i] = (spatial[i] + strides[i] - 1) / strides[i]
                let total = max(0, (out[i] - 1) * strides[i] + span - spatial[i])
                begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                end[i] = total - begin[i]
            case "VALID":
                begin[i] = 0
                end[i] = 0
                out[i] = (spatial[i] - span) / strides[i] + 1
                if spatial[i] < span { out[i] = 0 }
            case "NOTSET", "":
                out[i] = Self.outputSize(spatial[i] + begin[i] + end[i] - span, stride: strides[i], ceil: ceilMode)
                // A last window that starts in the end padding is dropped (onnxruntime, PyTorch).
                if ceilMode, out[i] > 0, (out[i] - 1) * strides[i] >= spatial[i] + begin[i] { out[i] -= 1 }
            default:
                throw node.invalid("auto_pad '\(autoPad)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")
            }
            guard out[i] > 0 else {
                throw node.invalid("input size \(spatial) is smaller than the kernel \(kernel) with its padding")
            }
        }
        return try Self.window(node, kernel: kernel, strides: strides, dilations: dilations,
                               begin: begin, end: end, spatial: spatial, out: out)
    }

    static func outputSize(_ room: Int, stride: Int, ceil: Bool) -> Int {
        guard room >= 0 else { return 0 }
        return (ceil ? (room + stride - 1) / stride : room / stride) + 1
    }

    /// Packs per-axis values for one or two spatial axes into a `Window2D`.
    static func window(_ node: Node, kernel: [Int], strides: [Int], dilations: [Int], begin: [Int], end: [Int],
                       spatial: [Int], out: [Int]) throws -> Window2D {
        var w = Window2D()
        switch spatial.count {
        case 1:
            (w.kernelW, w.strideW, w.dilationW) = (kernel[0], strides[0], dilations[0])
            (w.padLeft, w.padRight, w.inW, w.outW) = (begin[0], end[0], spatial[0], out[0])
        case 2:
            (w.kernelH, w.kernelW, w.strideH, w.strideW) = (kernel[0], kernel[1], strides[0], strides[1])
            (w.dilationH, w.dilationW) = (dilations[0], dilations[1])
            (w.padTop, w.padLeft, w.padBottom, w.padRight) = (begin[0], begin[1], end[0], end[1])
            (w.inH, w.inW, w.outH, w.outW) = (spatial[0], spatial[1], out[0], out[1])
        default:
            throw node.invalid("\(spatial.count)-D windows are not supported (1-D and 2-D are)")
        }
        return w
    }
}

import Foundation
import StrataCore

extension KerasLayers {
    /// MaxPooling / AveragePooling 1-D and 2-D. Average pooling excludes the padding, as Keras does.
    static func pool(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let w = try e.window(sizeKey: "pool_size", defaultStridesToSize: true)
        let isMax = e.spec.className.hasPrefix("Max")
        var attributes = (e.spatialRank == 1 ? w.lifted() : w).attributes(dilated: false)
        if !isMax { attributes["count_include_pad"] = .int(0) }
        _ = try e.inNCHW(e.input) { e, x throws(ImportError) in
            e.node(isMax ? "MaxPool" : "AveragePool", [x], attributes)
        }
        return e.spatialShape(w, channels: e.inputDim(-1))
    }

    /// GlobalAverage/MaxPooling 1-D and 2-D, with `keepdims`.
    static func globalPool(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let op = e.spec.className.hasPrefix("GlobalMax") ? "GlobalMaxPool" : "GlobalAveragePool"
        let keep = e.config.bool("keepdims", default: false)
        let oneD = e.spatialRank == 1
        let x = oneD ? e.nwcToNCHW(e.input) : e.toNCHW(e.input)
        let pooled = e.node(op, [x])
        if keep {
            _ = oneD ? e.nchwToNWC(pooled) : e.toNHWC(pooled)
        } else {
            e.node("Flatten", [pooled], ["axis": .int(1)])
        }
        let batch = e.inputShape?.first ?? .symbol("N")
        let channels = dim(e.inputDim(-1))
        return keep ? [batch] + Array(repeating: .value(1), count: e.spatialRank) + [channels] : [batch, channels]
    }

    /// Per spatial axis `(before, after)` from `padding` / `cropping`: `1`, `[1, 2]` (2-D: symmetric per
    /// axis; 1-D: before and after) or `[[1, 2], [3, 4]]`.
    static func amounts(_ any: Any?, rank: Int) -> [(Int, Int)]? {
        if let n = any as? NSNumber { return Array(repeating: (n.intValue, n.intValue), count: rank) }
        guard let list = any as? [Any] else { return nil }
        if let pairs = list as? [[NSNumber]], pairs.count == rank, pairs.allSatisfy({ $0.count == 2 }) {
            return pairs.map { ($0[0].intValue, $0[1].intValue) }
        }
        guard let flat = list as? [NSNumber] else { return nil }
        if rank == 1, flat.count == 2 { return [(flat[0].intValue, flat[1].intValue)] }
        if flat.count == rank { return flat.map { ($0.intValue, $0.intValue) } }
        return nil
    }

    /// ZeroPadding1D/2D: Pad on the NHWC value.
    static func zeroPadding(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let rank = e.spatialRank
        guard let p = amounts(e.config["padding"], rank: rank) else { throw e.fail("bad 'padding'") }
        let pads = [0] + p.map(\.0) + [0] + [0] + p.map(\.1) + [0]
        e.node("Pad", [e.input, e.int64s("pads", pads)])
        guard let shape = e.inputShape else { return nil }
        return [shape[0]] + (0..<rank).map { i in dim(shape[1 + i].intValue.map { $0 + p[i].0 + p[i].1 }) } + [shape[rank + 1]]
    }

    /// Cropping1D/2D: Slice on the NHWC value.
    static func cropping(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let rank = e.spatialRank
        guard let c = amounts(e.config["cropping"], rank: rank) else { throw e.fail("bad 'cropping'") }
        let sizes = (0..<rank).map { e.inputDim(1 + $0) }
        let ends = (0..<rank).map { i in sizes[i].map { $0 - c[i].1 } ?? (c[i].1 > 0 ? -c[i].1 : Int(Int32.max)) }
        e.node("Slice", [e.input, e.int64s("starts", c.map(\.0)), e.int64s("ends", ends), e.int64s("axes", Array(1...rank))])
        guard let shape = e.inputShape else { return nil }
        return [shape[0]] + (0..<rank).map { i in dim(sizes[i].map { $0 - c[i].0 - c[i].1 }) } + [shape[rank + 1]]
    }

    /// UpSampling1D/2D: Resize in NCHW; nearest repeats each pixel (asymmetric + floor), bilinear follows
    /// TensorFlow's resize (half-pixel centres).
    static func upSampling(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let rank = e.spatialRank
        guard let size = rank == 1 ? e.config.ints("size", count: 1) : e.config.ints("size", count: 2) else {
            throw e.fail("no 'size'")
        }
        guard size.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else { throw e.fail("size \(size) must be positive") }
        let factors = rank == 1 ? [1] + size : size
        let bilinear = (e.config.string("interpolation") ?? "nearest") == "bilinear"
        let attributes: [String: Attribute] = bilinear
            ? ["mode": .string("linear"), "coordinate_transformation_mode": .string("half_pixel")]
            : ["mode": .string("nearest"), "coordinate_transformation_mode": .string("asymmetric"), "nearest_mode": .string("floor")]
        let scales = e.floats("scales", [1, 1] + factors.map { Float($0) })
        _ = try e.inNCHW(e.input) { e, x throws(ImportError) in
            e.node("Resize", [x, "", scales], attributes)
        }
        guard let shape = e.inputShape else { return nil }
        return [shape[0]] + (0..<rank).map { i in dim(shape[1 + i].intValue.map { $0 * size[i] }) } + [shape[rank + 1]]
    }
}

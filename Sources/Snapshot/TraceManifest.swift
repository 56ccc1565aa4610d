import Foundation
import Runtime
import StrataCore

/// Names, files and layers of recorded tensors, as `strata run --dump` and snapshots list them.
public enum TraceManifest {
    /// One manifest entry per name of `values` recorded in `trace`, with unique `.npy` file names;
    /// `dtype` overrides the stored element type of floating-point tensors (float16 snapshots).
    public static func entries(_ trace: Trace, model: Model, values: [String],
                               storedFloatType: DType? = nil) -> [ActivationManifest.Entry] {
        var used: Set<String> = []
        let owners = layerOwners(model.graph)
        return values.compactMap { name in
            guard let t = trace.tensor(named: name) else { return nil }
            let file = uniqueFileName(for: name, used: &used)
            let layer = owners[name] ?? trace.producer(of: name).flatMap { owners[nodeKey($0)] }
            let dtype = t.dtype.isFloatingPoint ? (storedFloatType ?? t.dtype) : t.dtype
            return ActivationManifest.Entry(name: name, file: file, shape: t.shape, dtype: dtype.rawValue,
                                            layer: layer?.name,
                                            layout: layer?.layout ?? defaultLayout(rank: t.rank, format: model.format))
        }
    }

    /// Layer of each layer output, and (under a private key) of each node index.
    static func layerOwners(_ graph: Graph) -> [String: Layer] {
        var owners: [String: Layer] = [:]
        for layer in graph.layers {
            for node in layer.nodes { owners[nodeKey(node)] = layer }
            for output in layer.outputs { owners[output] = layer }
        }
        return owners
    }

    private static func nodeKey(_ index: Int) -> String { "\u{0}node\(index)" }

    /// The layout a tensor of `rank` has when its layer does not say.
    public static func defaultLayout(rank: Int, format: ModelFormat) -> String {
        switch rank {
        case 4: format == .onnx ? "NCHW" : "NHWC"
        case 2: "NC"
        default: ""
        }
    }

    /// The value name with characters other than letters, digits, `.`, `-`, `_` replaced by `_`, made unique
    /// (case-insensitively, for case-insensitive file systems).
    public static func uniqueFileName(for name: String, used: inout Set<String>) -> String {
        var base = String(name.map { c in c.isASCII && (c.isLetter || c.isNumber || "._-".contains(c)) ? c : "_" })
        if base.isEmpty || base.hasPrefix(".") { base = "_" + base }
        if base.count > 120 { base = String(base.prefix(120)) }
        var candidate = base + ".npy", n = 2
        while used.contains(candidate.lowercased()) {
            candidate = "\(base)_\(n).npy"
            n += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }
}

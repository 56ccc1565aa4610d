import Foundation
import StrataCore

/// The Keras layer classes Strata converts, each into a few ONNX-semantics nodes. A builder emits the
/// nodes of one call (all but the renaming of the final value) and returns the output shape (batch first,
/// Keras layout) when it is known.
enum KerasLayers {
    typealias Builder = (inout LayerEmitter) throws(ImportError) -> [Dim]?

    /// Domain of the nodes Strata never executes (Lambda layers, custom or unknown classes).
    static let unsupportedDomain = "keras.unsupported"

    static let builders: [String: Builder] = [
        "Conv1D": conv, "Conv2D": conv, "Convolution2D": conv, "DepthwiseConv2D": depthwiseConv,
        "SeparableConv2D": separableConv, "Conv2DTranspose": convTranspose,
        "Dense": dense, "Flatten": flatten, "Reshape": reshape, "Permute": permute,
        "Dropout": identity, "SpatialDropout1D": identity, "SpatialDropout2D": identity, "GaussianNoise": identity,
        "GaussianDropout": identity, "AlphaDropout": identity, "ActivityRegularization": identity,
        "Activation": activationLayer, "ReLU": relu, "LeakyReLU": leakyRelu, "PReLU": prelu, "ELU": elu,
        "Softmax": softmax,
        "BatchNormalization": batchNormalization, "LayerNormalization": layerNormalization,
        "Rescaling": rescaling, "Normalization": normalization,
        "MaxPooling1D": pool, "MaxPooling2D": pool, "AveragePooling1D": pool, "AveragePooling2D": pool,
        "GlobalAveragePooling1D": globalPool, "GlobalAveragePooling2D": globalPool,
        "GlobalMaxPooling1D": globalPool, "GlobalMaxPooling2D": globalPool,
        "ZeroPadding1D": zeroPadding, "ZeroPadding2D": zeroPadding, "Cropping1D": cropping, "Cropping2D": cropping,
        "UpSampling1D": upSampling, "UpSampling2D": upSampling,
        "Add": merge, "Subtract": merge, "Multiply": merge, "Average": merge, "Maximum": merge, "Minimum": merge,
        "Concatenate": concatenate,
    ]

    /// Emits the nodes of `e`'s layer call and checks that it used exactly the weights the file has.
    static func emit(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let builder = builders[e.spec.className] else { return unsupported(&e) }
        // Every builder reads NHWC; channels-first layers would compute wrong numbers silently.
        if e.config.string("data_format") == "channels_first" { throw e.fail("data_format 'channels_first' is not supported") }
        let shape = try builder(&e)
        try e.checkAllWeightsUsed()
        return shape
    }

    /// A node Strata cannot run (its Python code is never executed): op = the Keras class name, the
    /// layer's weights as inputs, output shape unknown.
    static func unsupported(_ e: inout LayerEmitter) -> [Dim]? {
        var inputs = e.inputs
        for (i, w) in e.remainingWeights().enumerated() {
            inputs.append(e.constant("weight_\(i)", w))
        }
        e.node(e.spec.className, inputs, tag: "unsupported", domain: unsupportedDomain)
        return nil
    }

    // MARK: - Core layers

    static func identity(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        e.node("Identity", [e.input])
        return e.inputShape
    }

    /// Dense on the last axis: MatMul + Add + activation.
    static func dense(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let units = e.config.int("units") else { throw e.fail("no 'units'") }
        let kernel = try e.weight("kernel", shape: [e.inputDim(-1), units])
        var y = e.node("MatMul", [e.input, e.constant("kernel", kernel)])
        if e.config.bool("use_bias", default: true) {
            y = e.node("Add", [y, e.constant("bias", try e.weight("bias", shape: [units]))], tag: "biased")
        }
        _ = try e.activate(y, e.config["activation"])
        return e.inputShape.map { Array($0.dropLast()) + [.value(units)] }
    }

    /// Flatten of the NHWC value, so the order is Keras' own.
    static func flatten(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        e.node("Flatten", [e.input], ["axis": .int(1)])
        guard let shape = e.inputShape else { return nil }
        let rest = shape.dropFirst().map(\.intValue)
        return [shape[0], dim(rest.contains(nil) ? nil : rest.reduce(1) { $0 * $1! })]
    }

    static func reshape(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let target = e.config.optionalInts("target_shape"), !target.contains(nil) else {
            throw e.fail("no 'target_shape'")
        }
        let dims = target.map { $0! }
        e.node("Reshape", [e.input, e.int64s("shape", [0] + dims)])
        var out = dims.map { Dim.value($0) }
        if let unknown = dims.firstIndex(of: -1) {
            let known = e.inputShape?.dropFirst().map(\.intValue)
            let total = known.flatMap { $0.contains(nil) ? nil : $0.reduce(1) { $0 * $1! } }
            let rest = dims.filter { $0 != -1 }.reduce(1, *)
            out[unknown] = dim(total.flatMap { rest > 0 ? $0 / rest : nil })
        }
        return [e.inputShape?.first ?? .symbol("N")] + out
    }

    /// Permute: `dims` are 1-based axes without the batch.
    static func permute(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        guard let dims = e.config.optionalInts("dims"), !dims.contains(nil) else { throw e.fail("no 'dims'") }
        let perm = [0] + dims.map { $0! }
        guard perm.sorted() == Array(0..<perm.count) else { throw e.fail("bad 'dims' \(dims)") }
        e.node("Transpose", [e.input], ["perm": .ints(perm)])
        guard let shape = e.inputShape, shape.count == perm.count else { return nil }
        return perm.map { shape[$0] }
    }

    /// `x * scale + offset` (each a scalar or one value per channel).
    static func rescaling(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let scale = floatList(e.config["scale"]) ?? [1]
        let offset = floatList(e.config["offset"]) ?? [0]
        let y = e.node("Mul", [e.input, e.floats("scale", scale)], tag: "scaled")
        e.node("Add", [y, e.floats("offset", offset)], tag: "shifted")
        return e.inputShape
    }

    /// A number or a list of numbers.
    static func floatList(_ any: Any?) -> [Float]? {
        if let n = any as? NSNumber { return [n.floatValue] }
        guard let a = any as? [Any] else { return nil }
        let values = a.compactMap { ($0 as? NSNumber)?.floatValue }
        return values.count == a.count && !values.isEmpty ? values : nil
    }
}

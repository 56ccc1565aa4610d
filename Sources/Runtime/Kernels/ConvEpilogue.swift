import StrataCore

/// One elementwise node that follows a Conv (directly or through earlier ones) and that the Conv kernel computes
/// on each block of its output while the block is still in the cache. Every op writes its own tensor, with the
/// values its own kernel would give (the same float operations, in the same order), so fusing changes no
/// recorded value.
enum EpilogueOp: Sendable, Equatable {
    /// BatchNormalization (inference, one value per channel): `x · scale[c] + shift[c]`, the coefficients the
    /// BatchNormalization kernel derives.
    case affine(scale: [Float], shift: [Float])
    /// Mul by a constant holding one value per channel, or one value for all.
    case multiply([Float])
    /// Add of a constant holding one value per channel, or one value for all.
    case add([Float])
    /// Relu.
    case relu
    /// Clip with constant bounds.
    case clip(low: Float?, high: Float?)

    /// Applies the op to `count` values of output channel `channel`.
    @inline(__always)
    func apply(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, channel: Int, count: Int) {
        switch self {
        case let .affine(scale, shift):
            FloatSIMD.affine(src, dst, count: count, scale: scale[channel], shift: shift[channel])
        case let .multiply(factors):
            FloatSIMD.multiply(src, dst, count: count, by: factors.count == 1 ? factors[0] : factors[channel])
        case let .add(terms):
            FloatSIMD.add(src, dst, count: count, terms.count == 1 ? terms[0] : terms[channel])
        case .relu:
            FloatSIMD.relu(src, dst, count: count)
        case let .clip(low, high):
            FloatSIMD.clip(src, dst, count: count, low: low, high: high)
        }
    }

    /// Whether the op's constants fit a conv with `channels` output channels.
    func fits(channels: Int) -> Bool {
        switch self {
        case let .affine(scale, shift): scale.count == channels && shift.count == channels
        case let .multiply(values), let .add(values): values.count == 1 || values.count == channels
        case .relu, .clip: true
        }
    }
}

/// A conv's epilogue during one call: the ops and the buffers they write, each shaped like the conv output.
struct ConvEpilogue: @unchecked Sendable {
    let ops: [EpilogueOp]
    /// One buffer per op.
    let outputs: [UnsafeMutablePointer<Float>]

    static let none = ConvEpilogue(ops: [], outputs: [])

    var isEmpty: Bool { ops.isEmpty }

    /// Runs every op, in order, over `count` values at flat `offset` of the conv output `y`, all in output channel
    /// `channel` (each op reads the previous op's buffer).
    @inline(__always)
    func apply(_ y: UnsafePointer<Float>, channel: Int, offset: Int, count: Int) {
        var src = y + offset
        for k in ops.indices {
            let dst = outputs[k] + offset
            ops[k].apply(src, dst, channel: channel, count: count)
            src = UnsafePointer(dst)
        }
    }

    /// Runs the ops over columns `columns` of channels `channels` of one image whose planes start at flat
    /// `imageOffset` (a tile of a tiled conv).
    func apply(_ y: UnsafePointer<Float>, imageOffset: Int, plane: Int, channels: Range<Int>, columns: Range<Int>) {
        guard !isEmpty else { return }
        for ch in channels {
            apply(y, channel: ch, offset: imageOffset + ch * plane + columns.lowerBound, count: columns.count)
        }
    }

    /// Runs the ops over whole planes `channels` of one image, spread over the cores.
    func applyPlanes(_ y: UnsafePointer<Float>, imageOffset: Int, plane: Int, channels: Int) {
        guard !isEmpty else { return }
        ParallelFor.run(channels, cost: plane * ops.count) { range in
            apply(y, imageOffset: imageOffset, plane: plane, channels: range, columns: 0..<plane)
        }
    }
}

extension ConvKernels {
    /// Conv followed by `ops`: the conv output, then one tensor per op (each the op applied to the previous
    /// tensor). Throws when an op's constants do not fit the conv's output channels.
    static func conv(_ node: Node, _ inputs: [Tensor?], epilogue ops: [EpilogueOp],
                     packed: PackedWeights? = nil) throws -> [Tensor] {
        guard !ops.isEmpty else { return [try conv(node, inputs, packed: packed)] }
        let prepared = try prepare(node, inputs)
        guard ops.allSatisfy({ $0.fits(channels: prepared.shape.outChannels) }) else {
            throw node.invalid("the nodes fused after it do not fit its \(prepared.shape.outChannels) output channels")
        }
        var y = Tensor.uninitialized(dtype: .float32, shape: prepared.outShape)
        var outs = ops.map { _ in Tensor.uninitialized(dtype: .float32, shape: prepared.outShape) }
        let pointers = outs.indices.map { k in outs[k].withMutableFloats { $0.baseAddress! } }
        let epilogue = ConvEpilogue(ops: ops, outputs: pointers)
        run(prepared, into: &y, epilogue: epilogue, packed: packed)
        withExtendedLifetime(outs) {}
        outs.insert(y, at: 0)
        return outs
    }
}

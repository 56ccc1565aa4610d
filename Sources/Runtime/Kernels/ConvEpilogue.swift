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
    /// Add (or a two-input Sum) of a tensor shaped like the conv output that an earlier step computed (the
    /// shortcut of a residual block), from slot `slot`; `first` when the conv's side is the node's first input,
    /// so the sum keeps the node's operand order.
    case addTensor(slot: Int, first: Bool)
    /// Relu.
    case relu
    /// Clip with constant bounds.
    case clip(low: Float?, high: Float?)

    /// Whether the op's constants fit a conv with `channels` output channels.
    func fits(channels: Int) -> Bool {
        switch self {
        case let .affine(scale, shift): scale.count == channels && shift.count == channels
        case let .multiply(values), let .add(values): values.count == 1 || values.count == channels
        case .relu, .clip, .addTensor: true
        }
    }
}

/// A conv's epilogue during one call: the ops and the buffers they write, each shaped like the conv output.
///
/// The ops run once per channel of every tile, on both cores at once: they run from a flat copy of their
/// constants (`EpilogueSteps`) that is read through plain pointers, because copying the ops themselves retained
/// and released their arrays at every call, and the two cores' atomic reference counts on the same arrays cost
/// ResNet-50 about 6 % of its run. It holds at most one reference, so that the copies the kernels make of it (in
/// every group's output, in the closures of every parallel loop) retain one object, not three; a conv call's
/// epilogue holds none (`EpilogueSteps.withEpilogue`).
struct ConvEpilogue: @unchecked Sendable {
    /// Number of ops.
    let opCount: Int
    /// Keeps `steps` alive (nil when the caller does); never touched while the ops run.
    private let storage: EpilogueSteps?
    private let steps: UnsafePointer<EpilogueSteps.Step>?

    /// `outputs` holds one buffer per op, `operands`, for each `.addTensor` op in order, the start of its tensor.
    init(ops: [EpilogueOp], outputs: [UnsafeMutablePointer<Float>], operands: [UnsafePointer<Float>] = []) {
        opCount = ops.count
        storage = ops.isEmpty ? nil : EpilogueSteps(ops, outputs: outputs, operands: operands)
        steps = storage.map { UnsafePointer($0.steps.baseAddress!) }
    }

    /// The epilogue of `count` steps that the caller keeps alive while it runs (`EpilogueSteps.withEpilogue`).
    init(borrowing steps: UnsafePointer<EpilogueSteps.Step>, count: Int) {
        opCount = count
        storage = nil
        self.steps = steps
    }

    static let none = ConvEpilogue(ops: [], outputs: [])

    var isEmpty: Bool { opCount == 0 }

    /// Runs every op, in order, over `count` values at flat `offset` of the conv output `y`, all in output channel
    /// `channel` (each op reads the previous op's buffer).
    @inline(__always)
    func apply(_ y: UnsafePointer<Float>, channel: Int, offset: Int, count: Int) {
        guard let steps else { return }
        var src = y + offset
        var k = 0
        while true {
            let step = steps[k]
            let dst = step.output! + offset
            step.apply(src, dst, channel: channel, offset: offset, count: count)
            if step.isLast { return }
            src = UnsafePointer(dst)
            k += 1
        }
    }

    /// Runs every op over `count` values at flat `offset` of the conv output `y`, in output channel `channel`, into
    /// `dst` (the first op reads `y`, the others `dst`), leaving the ops' buffers alone.
    func apply(_ y: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, channel: Int, offset: Int, count: Int) {
        guard let steps else { return }
        var src = y + offset
        for k in 0..<opCount {
            steps[k].apply(src, dst, channel: channel, offset: offset, count: count)
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
        ParallelFor.run(channels, cost: plane * opCount) { range in
            apply(y, imageOffset: imageOffset, plane: plane, channels: range, columns: 0..<plane)
        }
    }
}

extension ConvKernels {
    /// Conv followed by `ops`: the conv output, then one tensor per op (each the op applied to the previous
    /// tensor). `operand(slot)` gives the tensor an `.addTensor` op adds. Throws when an op's constants do not fit
    /// the conv's output channels. An `.addTensor` whose tensor is not a float32 tensor shaped like the output
    /// (a broadcasting Add) ends the chain there: the result holds only the ops before it, and the nodes after run
    /// on their own.
    ///
    /// An op whose `inPlace` entry is true writes over the tensor it reads, so that the chain passes through fewer
    /// tensors than it has values. Without `record` both results are that one tensor, holding the op's values (for a
    /// caller that needs only the values after it). With `record` (and `inPlace` given), the conv output is written
    /// into a tensor of its own and the first op writes the next one; a value an op overwrites is returned as a
    /// recipe from the last value kept before it, and so is the last value where nothing but the chain's constants
    /// lies between: the readers get the tensor it was written to, free it after them, and the next chain takes
    /// that memory back while it is in the cache. `inputClip` clamps the conv's input as it is read.
    static func conv(_ node: Node, _ inputs: [Tensor?], epilogue chain: ArraySlice<EpilogueOp>,
                     steps: EpilogueSteps? = nil, inPlace: [Bool] = [], record: Bool = true,
                     operand: (Int) -> Tensor? = { _ in nil }, packed: PackedWeights? = nil,
                     inputClip: ClipBounds? = nil, sizes: ConvSizesCache? = nil) throws -> [ConvChainValue] {
        guard !chain.isEmpty else {
            return [.tensor(try conv(node, inputs, packed: packed, inputClip: inputClip, sizes: sizes))]
        }
        // The buffers below hold `ExecutionPlan.maxEpilogue` ops.
        precondition(chain.count <= 4, "a chain of \(chain.count) ops")
        var prepared = try prepare(node, inputs, sizes: sizes)
        prepared.inputClip = inputClip
        guard chain.allSatisfy({ $0.fits(channels: prepared.shape.outChannels) }) else {
            throw node.invalid("the nodes fused after it do not fit its \(prepared.shape.outChannels) output channels")
        }
        // Every tensor a recording run keeps is written to memory that no later layer writes again while it is in
        // the cache, and costs a trip to memory; a chain's own buffer, freed after its readers, does not. Copying
        // the conv output out as it was computed and keeping the chain written over it kept two tensors a chain:
        // recording runs took 1.12 of the time plain on ResNet-50 and 1.14 on MobileNetV2, against 1.08 and 1.10.
        func writesOver(_ k: Int) -> Bool { k < inPlace.count && inPlace[k] && !(record && k == 0) }
        // The ops that run, and the tensors their `.addTensor` ops add.
        var opCount = chain.count, operands = InlineArray<4, Tensor?>(repeating: nil), added = 0
        for (k, op) in chain.enumerated() {
            guard case let .addTensor(slot, _) = op else { continue }
            guard let t = operand(slot), t.dtype == .float32, t.shape == prepared.outShape else {
                opCount = k
                break
            }
            operands[added] = t
            added += 1
        }
        let ops = chain.prefix(opCount)
        // The conv output, then the ops' own tensors: op k writes `own[written[k]]`, its own or its input's. A
        // tensor written in place is copied into the result only after the run, which must find it unshared.
        var own = InlineArray<5, Tensor?>(repeating: nil), owned = 1
        var written = InlineArray<4, Int>(repeating: 0)
        own[0] = Tensor.uninitialized(dtype: .float32, shape: prepared.outShape)
        for k in 0..<opCount {
            if !writesOver(k) {
                own[owned] = Tensor.uninitialized(dtype: .float32, shape: prepared.outShape)
                owned += 1
            }
            written[k] = owned - 1
        }
        if opCount > 0 {
            let program = steps ?? EpilogueSteps(Array(chain))
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>.self, capacity: opCount) { outputs in
                withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: max(added, 1)) { starts in
                    for k in 0..<opCount {
                        outputs.initializeElement(at: k, to: own[written[k]]!.withMutableFloats { $0.baseAddress! })
                    }
                    for k in 0..<added {
                        let start = operands[k]!.withUnsafeBufferPointer(of: Float.self) { $0.baseAddress! }
                        starts.initializeElement(at: k, to: start)
                    }
                    program.withEpilogue(count: opCount, outputs: outputs.baseAddress!, operands: starts.baseAddress!) {
                        run(prepared, into: &own[0]!, epilogue: $0, packed: packed)
                    }
                    withExtendedLifetime(operands) {}
                }
            }
        } else {
            run(prepared, into: &own[0]!, epilogue: .none, packed: packed)
        }
        // Value 0 is the conv output, value k op k-1's; with `record`, value v is overwritten when op v writes
        // over it.
        let overwritten = { (v: Int) in record && v < opCount && writesOver(v) }
        func addsBefore(_ v: Int) -> Int { ops.prefix(v).count { if case .addTensor = $0 { true } else { false } } }
        var values: [ConvChainValue] = []
        values.reserveCapacity(opCount + 1)
        values.append(.tensor(own[0]!))
        var base = (value: 0, tensor: own[0]!)  // the last value kept
        // Value v as the ops from the last value kept (built only where a recording run keeps a recipe).
        func sinceBase(_ v: Int) -> ConvChainRecipe {
            ConvChainRecipe(base: base.tensor, ops: Array(ops.prefix(v).dropFirst(base.value)),
                            operands: (addsBefore(base.value)..<addsBefore(v)).map { operands[$0]! })
        }
        for v in 1..<(opCount + 1) {
            if overwritten(v) {
                values.append(.recipe(sinceBase(v)))
            } else if v == opCount, record, !inPlace.isEmpty, addsBefore(v) == addsBefore(base.value) {
                values.append(.recipe(sinceBase(v), readersGet: own[written[v - 1]]!))
            } else {
                base = (v, own[written[v - 1]]!)
                values.append(.tensor(base.tensor))
            }
        }
        return values
    }
}

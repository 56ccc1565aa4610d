import StrataCore

/// Indexing on any element type: Slice, Pad, Gather.
enum IndexingKernels {
    static let all: [String: Kernel] = [
        "Slice": { node, inputs, context in [try slice(node, inputs, context)] },
        "Pad": { node, inputs, context in [try pad(node, inputs, context)] },
        "Gather": { node, inputs, _ in [try gather(node, inputs)] },
    ]

    // MARK: - Slice

    /// Slice: `starts`, `ends`, `axes` attributes before opset 10; inputs `starts`, `ends`, `axes`, `steps` after.
    /// Indices are clamped as the spec says, so `INT64_MAX` means "to the end" and negative steps run backwards.
    static func slice(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        let starts: [Int], ends: [Int], given: [Int]?, steps: [Int]
        if context.opset < 10 {
            guard let s = node.ints("starts"), let e = node.ints("ends") else { throw node.invalid("starts and ends are missing") }
            (starts, ends, given, steps) = (s, e, node.ints("axes"), [Int](repeating: 1, count: s.count))
        } else {
            starts = try ShapeArgs.dims(node, inputs, 1, role: "starts", allowNegative: true)
            ends = try ShapeArgs.dims(node, inputs, 2, role: "ends", allowNegative: true)
            given = inputs.count > 3 && inputs[3] != nil ? try ShapeArgs.dims(node, inputs, 3, role: "axes", allowNegative: true) : nil
            steps = inputs.count > 4 && inputs[4] != nil
                ? try ShapeArgs.dims(node, inputs, 4, role: "steps", allowNegative: true) : [Int](repeating: 1, count: starts.count)
        }
        let axes = try ShapeKernels.normalised(node, given ?? Array(0..<starts.count), rank: x.rank)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw node.invalid("starts, ends, axes and steps differ in length")
        }
        let strides = Broadcast.strides(x.shape)
        var shape = x.shape, viewStrides = strides, offset = 0
        for (k, axis) in axes.enumerated() {
            guard steps[k] != 0 else { throw node.invalid("step 0 on axis \(axis)") }
            let dim = x.shape[axis]
            let step = max(min(steps[k], Int.max / 4), -(Int.max / 4))
            var s = starts[k] < 0 ? starts[k] + dim : starts[k]
            var e = ends[k] < 0 ? ends[k] + dim : ends[k]
            if step > 0 {
                (s, e) = (min(max(s, 0), dim), min(max(e, 0), dim))
                shape[axis] = max(0, (e - s + step - 1) / step)
            } else {
                (s, e) = (min(max(s, 0), dim - 1), min(max(e, -1), dim - 1))
                shape[axis] = max(0, (s - e - step - 1) / -step)
            }
            if shape[axis] > 0 { offset += s * strides[axis] }
            viewStrides[axis] = strides[axis] * step
        }
        return Broadcast.stridedCopy(x, offset: offset, strides: viewStrides, shape: shape)
    }

    // MARK: - Pad

    /// Pad: `pads` `[x1_begin, x2_begin, ..., x1_end, ...]` (negative crops), `mode` constant, reflect, edge or
    /// wrap. Attributes `pads`/`value` before opset 11; inputs `pads`, `constant_value`, `axes` after.
    static func pad(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        let mode = node.string("mode", default: "constant")
        var raw: [Int], value: Tensor, axes = Array(0..<x.rank)
        if context.opset < 11 {
            raw = node.ints("pads") ?? node.ints("paddings") ?? []
            value = Tensor(scalar: node.float("value", default: 0))
        } else {
            raw = try ShapeArgs.dims(node, inputs, 1, role: "pads", allowNegative: true)
            value = inputs.count > 2 ? inputs[2] ?? Tensor(scalar: Float(0)) : Tensor(scalar: Float(0))
            if inputs.count > 3, inputs[3] != nil {
                axes = try ShapeKernels.normalised(node, try ShapeArgs.dims(node, inputs, 3, role: "axes", allowNegative: true), rank: x.rank)
            }
        }
        guard raw.count == 2 * axes.count else { throw node.invalid("pads \(raw) do not fit \(axes.count) axes") }
        guard value.count == 1 else { throw node.invalid("constant_value must be a scalar") }
        var begin = [Int](repeating: 0, count: x.rank), end = begin
        for (k, axis) in axes.enumerated() { (begin[axis], end[axis]) = (raw[k], raw[k + axes.count]) }
        let shape = x.shape.indices.map { x.shape[$0] + begin[$0] + end[$0] }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw node.invalid("pads \(raw) crop more than shape \(x.shape)") }
        try ShapeArgs.checkSize(node, shape)
        if mode == "constant", x.dtype == .float32, x.rank >= 2, x.count > 0,
           (begin + end).allSatisfy({ $0 >= 0 }), begin.dropLast(2).allSatisfy({ $0 == 0 }), end.dropLast(2).allSatisfy({ $0 == 0 }) {
            return paddedPlanes(x, shape: shape, top: begin[x.rank - 2], left: begin[x.rank - 1],
                                fill: value.converted(to: .float32).scalars(as: Float.self)[0])
        }
        let maps = try x.shape.indices.map { d in
            try sourceIndices(node, mode: mode, dim: x.shape[d], begin: begin[d], count: shape[d])
        }
        return padded(x, shape: shape, maps: maps, fill: value.converted(to: x.dtype))
    }

    /// For each output index along one axis, the input index it copies, or -1 for the constant.
    static func sourceIndices(_ node: Node, mode: String, dim: Int, begin: Int, count: Int) throws -> [Int] {
        if mode != "constant" && dim == 0 && count > 0 { throw node.invalid("cannot \(mode)-pad an empty axis") }
        return try (0..<count).map { i in
            let j = i - begin
            if (0..<dim).contains(j) { return j }
            switch mode {
            case "constant": return -1
            case "edge": return min(max(j, 0), dim - 1)
            case "wrap": return ((j % dim) + dim) % dim
            case "reflect":
                guard dim > 1 else { return 0 }
                let period = 2 * (dim - 1)
                let r = ((j % period) + period) % period
                return r < dim ? r : period - r
            default: throw node.invalid("unknown mode '\(mode)'")
            }
        }
    }

    /// The longest stretch of output positions, starting at the first copied one, that copy consecutive inputs.
    static func contiguousRun(_ map: [Int]) -> Range<Int> {
        guard let first = map.firstIndex(where: { $0 >= 0 }) else { return 0..<0 }
        var end = first + 1
        while end < map.count && map[end] == map[first] + (end - first) { end += 1 }
        return first..<end
    }

    /// A float32 constant pad of the last two axes only (the padding before a MobileNet's stride-2 depthwise
    /// conv): plane by plane, on the cores, each row its fill and one copy.
    static func paddedPlanes(_ x: Tensor, shape: [Int], top: Int, left: Int, fill: Float) -> Tensor {
        var out = Tensor.uninitialized(dtype: .float32, shape: shape)
        let rank = shape.count
        let (height, width, outHeight, outWidth) = (x.shape[rank - 2], x.shape[rank - 1], shape[rank - 2], shape[rank - 1])
        let planes = shape.dropLast(2).reduce(1, *), outPlane = outHeight * outWidth
        let right = outWidth - left - width
        @inline(__always) func fillRun(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
            if fill == 0 { ShortRows.zero(p, count: count) } else { for i in 0..<count { p[i] = fill } }
        }
        x.withUnsafeBufferPointer(of: Float.self) { src in
            out.withUnsafeMutableBufferPointer(of: Float.self) { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                ParallelFor.run(planes, cost: outPlane) { range in
                    for plane in range {
                        let from = s + plane * height * width, to = d + plane * outPlane
                        fillRun(to, top * outWidth)
                        for r in 0..<height {
                            let row = to + (top + r) * outWidth
                            fillRun(row, left)
                            ShortRows.copy(from + r * width, row + left, count: width)
                            fillRun(row + left + width, right)
                        }
                        fillRun(to + (top + height) * outWidth, outPlane - (top + height) * outWidth)
                    }
                }
            }
        }
        return out
    }

    static func padded(_ x: Tensor, shape: [Int], maps: [[Int]], fill: Tensor) -> Tensor {
        var out = Tensor.uninitialized(dtype: x.dtype, shape: shape)
        guard out.count > 0 else { return out }
        x.withUnsafeBytes { src in
            fill.withUnsafeBytes { value in
                out.withUnsafeMutableBytes { dst in
                    let s = src.baseAddress!, v = value.baseAddress!, d = dst.baseAddress!
                    switch x.dtype.byteSize {
                    case 1: padRows(UInt8.self, s, v, d, x.shape, shape, maps)
                    case 2: padRows(UInt16.self, s, v, d, x.shape, shape, maps)
                    case 4: padRows(UInt32.self, s, v, d, x.shape, shape, maps)
                    default: padRows(UInt64.self, s, v, d, x.shape, shape, maps)
                    }
                }
            }
        }
        return out
    }

    private static func padRows<T>(_ type: T.Type, _ src: UnsafeRawPointer, _ value: UnsafeRawPointer,
                                   _ dst: UnsafeMutableRawPointer, _ inShape: [Int], _ shape: [Int], _ maps: [[Int]]) {
        let s = src.assumingMemoryBound(to: T.self), d = dst.assumingMemoryBound(to: T.self)
        let fill = value.assumingMemoryBound(to: T.self).pointee
        if shape.isEmpty { d[0] = s[0]; return }
        let strides = Broadcast.strides(inShape)
        let rank = shape.count, width = shape[rank - 1], lastMap = maps[rank - 1]
        let rows = shape.dropLast().reduce(1, *)
        let run = contiguousRun(lastMap)
        ParallelFor.run(rows, cost: width) { chunk in
            // The output row's index along each outer axis, counted on from the chunk's first row.
            var counter = [Int](repeating: 0, count: rank - 1)
            var rest = chunk.lowerBound
            for k in stride(from: rank - 2, through: 0, by: -1) {
                (rest, counter[k]) = rest.quotientAndRemainder(dividingBy: shape[k])
            }
            for row in chunk {
                var base = 0, inside = true
                for k in 0..<(rank - 1) {
                    let m = maps[k][counter[k]]
                    if m < 0 { inside = false; break }
                    base += m * strides[k]
                }
                let out = d + row * width
                if inside {
                    // The copied middle of the row in one move, the padded ends element by element.
                    for i in 0..<run.lowerBound { out[i] = lastMap[i] >= 0 ? s[base + lastMap[i]] : fill }
                    if !run.isEmpty { (out + run.lowerBound).update(from: s + base + lastMap[run.lowerBound], count: run.count) }
                    for i in run.upperBound..<width { out[i] = lastMap[i] >= 0 ? s[base + lastMap[i]] : fill }
                } else {
                    out.update(repeating: fill, count: width)
                }
                var k = rank - 2
                while k >= 0 {
                    counter[k] += 1
                    if counter[k] < shape[k] { break }
                    counter[k] = 0
                    k -= 1
                }
            }
        }
    }

    // MARK: - Gather

    /// Gather along `axis`: `data[..., indices[...], ...]`; negative indices count from the end.
    static func gather(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let data = try ShapeArgs.input(node, inputs, 0), indices = try ShapeArgs.input(node, inputs, 1)
        guard indices.dtype == .int64 || indices.dtype == .int32 else { throw node.invalid("indices are \(indices.dtype)") }
        let a = node.int("axis", default: 0)
        let axis = a < 0 ? a + data.rank : a
        guard (0..<data.rank).contains(axis) else { throw node.invalid("axis \(a) is out of range for shape \(data.shape)") }
        let dim = data.shape[axis]
        let picks = try indices.int64s.map { i in
            let j = i < 0 ? Int(i) + dim : Int(i)
            guard (0..<dim).contains(j) else { throw node.invalid("index \(i) is out of range for dimension \(dim)") }
            return j
        }
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        var out = Tensor(dtype: data.dtype, shape: shape)
        let outer = data.shape[..<axis].reduce(1, *)
        let block = data.shape[(axis + 1)...].reduce(1, *) * data.dtype.byteSize
        guard block > 0 else { return out }
        data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for o in 0..<outer {
                    for (k, j) in picks.enumerated() {
                        (dst.baseAddress! + (o * picks.count + k) * block)
                            .copyMemory(from: src.baseAddress! + (o * dim + j) * block, byteCount: block)
                    }
                }
            }
        }
        return out
    }
}

import Foundation
import StrataCore

/// Data movement on any element type: Transpose, Concat, Split, Expand, Tile.
enum MovementKernels {
    static let all: [String: Kernel] = [
        "Transpose": { node, inputs, _ in [try transpose(node, inputs)] },
        "Concat": { node, inputs, _ in [try concat(node, inputs)] },
        "Split": { node, inputs, context in try split(node, inputs, context) },
        "Expand": { node, inputs, _ in
            let x = try ShapeArgs.input(node, inputs, 0)
            let target = try ShapeArgs.dims(node, inputs, 1, role: "shape")
            guard let shape = Broadcast.shape([x.shape, target]) else {
                throw node.invalid("cannot expand \(x.shape) to \(target)")
            }
            try ShapeArgs.checkSize(node, shape)
            return [Broadcast.expand(x, to: shape)]
        },
        "Tile": { node, inputs, _ in [try tile(node, inputs)] },
    ]

    /// Transpose by `perm` (default: reversed axes).
    static func transpose(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        let perm = node.ints("perm") ?? Array((0..<x.rank).reversed())
        guard perm.count == x.rank, Set(perm) == Set(0..<x.rank) else {
            throw node.invalid("perm \(perm) is not a permutation of \(x.rank) axes")
        }
        let strides = Broadcast.strides(x.shape)
        return Broadcast.stridedCopy(x, strides: perm.map { strides[$0] }, shape: perm.map { x.shape[$0] })
    }

    /// Concat along `axis`: one block copy per input per outer index.
    static func concat(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let parts = inputs.compactMap { $0 }
        guard let first = parts.first else { throw node.invalid("needs at least one input") }
        let a = node.int("axis", default: 0)
        let axis = a < 0 ? a + first.rank : a
        guard (0..<max(first.rank, 1)).contains(axis), first.rank > 0 else {
            throw node.invalid("axis \(a) is out of range for shape \(first.shape)")
        }
        for p in parts {
            var s = p.shape, f = first.shape
            guard p.dtype == first.dtype, p.rank == first.rank else { throw node.invalid("inputs \(first) and \(p) do not concatenate") }
            s[axis] = 0
            f[axis] = 0
            guard s == f else { throw node.invalid("inputs \(first.shape) and \(p.shape) differ outside axis \(axis)") }
        }
        var shape = first.shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        var out = Tensor.uninitialized(dtype: first.dtype, shape: shape)
        let outer = first.shape[..<axis].reduce(1, *)
        let size = first.dtype.byteSize
        let rowBytes = shape[axis...].reduce(1, *) * size
        out.withUnsafeMutableBytes { dst in
            var column = 0
            for p in parts {
                let block = p.shape[axis...].reduce(1, *) * size
                p.withUnsafeBytes { src in
                    for o in 0..<outer where block > 0 {
                        (dst.baseAddress! + o * rowBytes + column).copyMemory(from: src.baseAddress! + o * block, byteCount: block)
                    }
                }
                column += block
            }
        }
        return out
    }

    /// Split along `axis` into sizes from input 1 (opset ≥ 13) or attribute `split`, else into equal parts
    /// (`num_outputs` parts from opset 18, the last one smaller).
    static func split(_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> [Tensor] {
        let x = try ShapeArgs.input(node, inputs, 0)
        let a = node.int("axis", default: 0)
        let axis = a < 0 ? a + x.rank : a
        guard (0..<x.rank).contains(axis) else { throw node.invalid("axis \(a) is out of range for shape \(x.shape)") }
        let dim = x.shape[axis]
        var sizes: [Int]
        if inputs.count > 1, inputs[1] != nil {
            sizes = try ShapeArgs.dims(node, inputs, 1, role: "split")
        } else if let attr = node.ints("split") {
            sizes = attr
        } else {
            let parts = node.int("num_outputs", default: node.outputs.count)
            guard parts > 0 else { throw node.invalid("num_outputs must be positive") }
            let chunk = (dim + parts - 1) / parts
            sizes = (0..<parts).map { i in max(0, min(chunk, dim - i * chunk)) }
        }
        guard sizes.reduce(0, +) == dim, sizes.allSatisfy({ $0 >= 0 }) else {
            throw node.invalid("split \(sizes) does not add up to dimension \(dim) of \(x.shape)")
        }
        let strides = Broadcast.strides(x.shape)
        var start = 0
        return sizes.map { size in
            var shape = x.shape
            shape[axis] = size
            defer { start += size }
            return Broadcast.stridedCopy(x, offset: start * strides[axis], strides: strides, shape: shape)
        }
    }

    /// Tile: a zero-stride view `[r0, d0, r1, d1, ...]` of the input, copied and reshaped.
    static func tile(_ node: Node, _ inputs: [Tensor?]) throws -> Tensor {
        let x = try ShapeArgs.input(node, inputs, 0)
        let repeats = try ShapeArgs.dims(node, inputs, 1, role: "repeats")
        guard repeats.count == x.rank else { throw node.invalid("repeats \(repeats) do not fit shape \(x.shape)") }
        let strides = Broadcast.strides(x.shape)
        let viewShape = x.shape.indices.flatMap { [repeats[$0], x.shape[$0]] }
        let outShape = x.shape.indices.map { repeats[$0] * x.shape[$0] }
        try ShapeArgs.checkSize(node, outShape)
        let view = Broadcast.stridedCopy(x, strides: x.shape.indices.flatMap { [0, strides[$0]] }, shape: viewShape)
        return view.reshaped(outShape)
    }
}

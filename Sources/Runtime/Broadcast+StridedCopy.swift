import Foundation
import StrataCore

extension Broadcast {
    /// Copies a strided view of `source` into a fresh contiguous tensor of shape `shape`, any element type.
    ///
    /// Element `(i0, i1, ...)` of the result is element `offset + Σ ik·strides[k]` of `source`'s storage. This one
    /// primitive does Transpose (permuted strides), Expand and Tile (zero strides), Slice (offset and steps).
    static func stridedCopy(_ source: Tensor, offset: Int = 0, strides: [Int], shape: [Int]) -> Tensor {
        var out = Tensor.uninitialized(dtype: source.dtype, shape: shape)
        guard out.count > 0 else { return out }
        let size = source.dtype.byteSize
        let (runShape, runStrides) = collapse(shape, [strides, Broadcast.strides(shape)])
        source.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                switch size {
                case 1: copyRuns(UInt8.self, s, d, offset, runShape, runStrides)
                case 2: copyRuns(UInt16.self, s, d, offset, runShape, runStrides)
                case 4: copyRuns(UInt32.self, s, d, offset, runShape, runStrides)
                default: copyRuns(UInt64.self, s, d, offset, runShape, runStrides)
                }
            }
        }
        return out
    }

    private static func copyRuns<T>(_ type: T.Type, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer,
                                    _ offset: Int, _ shape: [Int], _ strides: [[Int]]) {
        let s = src.assumingMemoryBound(to: T.self) + offset
        let d = dst.assumingMemoryBound(to: T.self)
        let step = strides[0].last!
        forEachRun(shape, strides) { offsets, count in
            let from = s + offsets[0], to = d + offsets[1]
            if step == 1 {
                to.update(from: from, count: count)
            } else if step == 0 {
                to.update(repeating: from.pointee, count: count)
            } else {
                for i in 0..<count { to[i] = from[i * step] }
            }
        }
    }

    /// `source` broadcast to `shape` (which must be a valid broadcast target), as a new contiguous tensor;
    /// the tensor itself when the shapes already match.
    static func expand(_ source: Tensor, to shape: [Int]) -> Tensor {
        if source.shape == shape { return source }
        return stridedCopy(source, strides: strides(source.shape, to: shape), shape: shape)
    }
}

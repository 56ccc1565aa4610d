/// Rows copied with zero padding around them, 16 floats a store: the input of the positions path (`PaddedPlanes` in
/// Runtime), whose rows are short (a 14×14 plane's row and its padding is one vector). A destination chunk is one
/// unaligned load from the source row, shifted by the left padding, with the lanes outside the row set to zero, so
/// a row costs a load and a store a chunk instead of a run of short copies and zero fills.
public enum PaddedRowsAVX512 {
    typealias Vector = SIMD16<Float>

    /// Copies plane rows `planeRows` of the planes `channels` of `x` (`inH × inW` each) into consecutive lines of
    /// `pitch` floats from `into`: plane row `u` holds input row `u·rowStep - padTop` (zeros outside the input),
    /// after `left` zeros and `width` floats of it (`left + width ≤ pitch`). A load may read up to 15 floats before
    /// or after a row: only inside `readable`, where it would leave it the row is read lane by lane. Stores stay
    /// inside the lines, except that a line shorter than 16 floats is written as 16 when the floats after it are
    /// free until the caller writes them: every line's but the last, and the last's when `spills`.
    public static func copyPlanes(_ x: UnsafePointer<Float>, channels: Range<Int>, inH: Int, inW: Int,
                                  planeRows: Range<Int>, rowStep: Int, padTop: Int, left: Int, width: Int, pitch: Int,
                                  into: UnsafeMutablePointer<Float>, readable: Range<UnsafePointer<Float>>,
                                  spills: Bool) {
        guard pitch >= 16 else {
            let inside = lanes(from: 0, left: left, width: width)
            var line = into
            for c in channels {
                let plane = x + c * inH * inW
                for u in planeRows {
                    let iy = u * rowStep - padTop
                    let source = iy < 0 || iy >= inH ? nil : plane + iy * inW
                    if spills || c + 1 < channels.upperBound || u + 1 < planeRows.upperBound {
                        let v = source.map { chunk($0 - left, inside: inside, readable: readable) } ?? Vector()
                        UnsafeMutableRawPointer(line).storeBytes(of: v, as: Vector.self)
                    } else {
                        for v in 0..<pitch {
                            let i = v - left
                            line[v] = source != nil && i >= 0 && i < width ? source![i] : 0
                        }
                    }
                    line += pitch
                }
            }
            return
        }
        // Lines of 16 floats or more, chunk by chunk over all lines: a chunk's place in the line and the lanes of it
        // the row fills are the same in every line, worked out once. Worked out line by line, the copy of a 7×7
        // stride-2 conv's input took 1.36 times as long (a fifth of the time of the conv's multiply-adds).
        var start = 0
        while start < pitch {
            let first = min(start, pitch - 16)
            let inside = lanes(from: first, left: left, width: width)
            let reads = any(inside)
            var line = into + first
            for c in channels {
                let plane = x + c * inH * inW + (first - left)
                for u in planeRows {
                    let iy = u * rowStep - padTop
                    let v = reads && iy >= 0 && iy < inH ? chunk(plane + iy * inW, inside: inside, readable: readable)
                        : Vector()
                    UnsafeMutableRawPointer(line).storeBytes(of: v, as: Vector.self)
                    line += pitch
                }
            }
            start = first + 16
        }
    }

    /// The lanes of a chunk starting `first` floats into a line that a row after `left` zeros fills: lane `i` holds
    /// row float `first - left + i`, inside the row when that is in 0..<width, which one unsigned comparison tells
    /// (a negative index wraps above any width).
    @inline(__always)
    static func lanes(from first: Int, left: Int, width: Int) -> SIMDMask<SIMD16<Int32>> {
        let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        return lanes &+ SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: first - left))
            .< SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: width))
    }

    /// The 16 floats at `from` in the lanes `inside`, zeros in the others: one load where it stays inside
    /// `readable`, else lane by lane.
    @inline(__always)
    static func chunk(_ from: UnsafePointer<Float>, inside: SIMDMask<SIMD16<Int32>>,
                      readable: Range<UnsafePointer<Float>>) -> Vector {
        if from >= readable.lowerBound && from + 16 <= readable.upperBound {
            return Vector().replacing(with: UnsafeRawPointer(from).loadUnaligned(as: Vector.self), where: inside)
        }
        var v = Vector()
        for lane in 0..<16 where inside[lane] { v[lane] = from[lane] }
        return v
    }
}

/// Rows copied with zero padding around them, 16 floats a store: the input of the positions path (`PaddedPlanes` in
/// Runtime), whose rows are short (a 14×14 plane's row and its padding is one vector). A destination chunk is one
/// unaligned load from the source row, shifted by the left padding, with the lanes outside the row set to zero, so
/// a row costs a load and a store a chunk instead of a run of short copies and zero fills.
public enum PaddedRowsAVX512 {
    typealias Vector = SIMD16<Float>

    /// Copies plane rows `planeRows` of the planes `channels` of `x` (`inH × inW` each) into consecutive lines of
    /// `pitch` floats from `into`: plane row `u` holds input row `u·rowStep - padTop` (zeros outside the input),
    /// after `left` zeros and `width` floats of it. `readable` and `spills` as in `copy`, `spills` for the last line.
    public static func copyPlanes(_ x: UnsafePointer<Float>, channels: Range<Int>, inH: Int, inW: Int,
                                  planeRows: Range<Int>, rowStep: Int, padTop: Int, left: Int, width: Int, pitch: Int,
                                  into: UnsafeMutablePointer<Float>, readable: Range<UnsafePointer<Float>>,
                                  spills: Bool) {
        guard pitch >= 16 else {
            var line = into
            for c in channels {
                let plane = x + c * inH * inW
                for u in planeRows {
                    let iy = u * rowStep - padTop
                    let last = c + 1 == channels.upperBound && u + 1 == planeRows.upperBound
                    copy(iy < 0 || iy >= inH ? nil : plane + iy * inW, left: left, width: width, pitch: pitch,
                         into: line, readable: readable, spills: spills || !last)
                    line += pitch
                }
            }
            return
        }
        // Lines of 16 floats or more, chunk by chunk over all lines: a chunk's place in the line and the lanes of it
        // the row fills are the same in every line, worked out once. Worked out line by line, the copy of a 7×7
        // stride-2 conv's input took 1.36 times as long (a fifth of the time of the conv's multiply-adds).
        let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let limit = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: width))
        var start = 0
        while start < pitch {
            let first = min(start, pitch - 16)
            let inside = lanes &+ SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: first - left)) .< limit
            let reads = any(inside)
            var line = into + first
            for c in channels {
                let plane = x + c * inH * inW + (first - left)
                for u in planeRows {
                    let iy = u * rowStep - padTop
                    var v = Vector()
                    if reads && iy >= 0 && iy < inH {
                        let from = plane + iy * inW
                        if from >= readable.lowerBound && from + 16 <= readable.upperBound {
                            v = Vector().replacing(with: UnsafeRawPointer(from).loadUnaligned(as: Vector.self), where: inside)
                        } else {
                            for lane in 0..<16 where inside[lane] { v[lane] = from[lane] }
                        }
                    }
                    UnsafeMutableRawPointer(line).storeBytes(of: v, as: Vector.self)
                    line += pitch
                }
            }
            start = first + 16
        }
    }

    /// Writes `pitch` floats at `line`: `left` zeros, the `width` floats at `source` (none when `source` is nil),
    /// zeros after them. A load may read up to 15 floats before or after the row: only inside `readable`, where it
    /// would leave it the row is copied lane by lane. Stores stay inside the line, except that a line shorter than
    /// 16 floats is written as 16 when `spills` (the caller's next floats are free until it writes them).
    @inline(__always)
    static func copy(_ source: UnsafePointer<Float>?, left: Int, width: Int, pitch: Int,
                            into line: UnsafeMutablePointer<Float>, readable: Range<UnsafePointer<Float>>,
                            spills: Bool) {
        let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let limit = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: width))
        guard pitch >= 16 || spills else {
            for v in 0..<pitch {
                let i = v - left
                line[v] = source != nil && i >= 0 && i < width ? source![i] : 0
            }
            return
        }
        var start = 0
        while start < pitch {
            let first = pitch >= 16 ? min(start, pitch - 16) : 0
            var v = Vector()
            if let source {
                let from = source + (first - left)
                // Lane `i` reads row float `first - left + i`: inside the row when that is in 0..<width, which one
                // unsigned comparison tells (a negative index wraps above any width).
                let inside = lanes &+ SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: first - left)) .< limit
                if from >= readable.lowerBound && from + 16 <= readable.upperBound {
                    v = Vector().replacing(with: UnsafeRawPointer(from).loadUnaligned(as: Vector.self), where: inside)
                } else {
                    for lane in 0..<16 where inside[lane] { v[lane] = from[lane] }
                }
            }
            UnsafeMutableRawPointer(line + first).storeBytes(of: v, as: Vector.self)
            start = first + 16
        }
    }
}

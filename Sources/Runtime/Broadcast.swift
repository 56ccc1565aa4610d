import StrataCore

/// NumPy broadcasting: shapes align at the right; a dimension of 1 stretches to the other size.
enum Broadcast {
    /// The broadcast shape of `shapes`, or nil when two dimensions differ and neither is 1.
    static func shape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                let o = out[offset + i]
                if o == 1 { out[offset + i] = d } else if d != 1 && d != o { return nil }
            }
        }
        return out
    }

    /// Element strides of a row-major `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for i in shape.indices.reversed() {
            strides[i] = step
            step *= shape[i]
        }
        return strides
    }

    /// Strides of a row-major `shape` read as `out` (right-aligned): 0 along broadcast dimensions.
    static func strides(_ shape: [Int], to out: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = out.count - shape.count
        return out.indices.map { i in
            let j = i - offset
            return j < 0 || shape[j] == 1 ? 0 : own[j]
        }
    }

    /// Merges adjacent dimensions that every operand walks contiguously, so loops get long inner runs.
    /// Returns the merged shape and each operand's merged strides; size-1 dimensions are dropped.
    static func collapse(_ shape: [Int], _ strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
        var outShape: [Int] = []
        var outStrides = [[Int]](repeating: [], count: strides.count)
        for i in shape.indices where shape[i] != 1 {
            if let last = outShape.last,
               strides.indices.allSatisfy({ k in outStrides[k].last! == strides[k][i] * shape[i] }) {
                outShape[outShape.count - 1] = last * shape[i]
                for k in strides.indices { outStrides[k][outStrides[k].count - 1] = strides[k][i] }
            } else {
                outShape.append(shape[i])
                for k in strides.indices { outStrides[k].append(strides[k][i]) }
            }
        }
        if outShape.isEmpty {
            return ([1], strides.map { _ in [0] })
        }
        return (outShape, outStrides)
    }

    /// Walks a collapsed iteration space: calls `body(offsets, innerCount)` once per innermost run, with each
    /// operand's element offset at the run's start. Operand strides along the run are `strides[k].last`.
    @inline(__always)
    static func forEachRun(_ shape: [Int], _ strides: [[Int]], _ body: ([Int], Int) -> Void) {
        let rank = shape.count
        let inner = shape[rank - 1]
        let outer = shape.dropLast().reduce(1, *)
        guard inner > 0, outer > 0 else { return }
        var counter = [Int](repeating: 0, count: rank)
        var offsets = [Int](repeating: 0, count: strides.count)
        for _ in 0..<outer {
            body(offsets, inner)
            var d = rank - 2
            while d >= 0 {
                counter[d] += 1
                for k in offsets.indices { offsets[k] += strides[k][d] }
                if counter[d] < shape[d] { break }
                for k in offsets.indices { offsets[k] -= strides[k][d] * shape[d] }
                counter[d] = 0
                d -= 1
            }
        }
    }
}

import Runtime
import StrataCore
import Testing

@Suite struct IndexingTests {
    @Test func sliceWithStepsAndNegativeIndices() throws {
        // x = [[0..3], [4..7], [8..11]]; rows 0 and 2, columns 3 down to 1.
        let y = try run1("Slice", [arange([3, 4]), ints([0, -1]), ints([3, 0]), ints([0, 1]), ints([2, -1])], opset: 13)
        #expect(y.shape == [2, 3])
        #expect(y.floats == [3, 2, 1, 11, 10, 9])
    }

    @Test func sliceClampsHugeEnds() throws {
        let y = try run1("Slice", [arange([5]), ints([2]), ints([Int64.max])], opset: 13)
        #expect(y.floats == [2, 3, 4])
    }

    @Test func sliceOpset1Attributes() throws {
        let y = try run1("Slice", [arange([2, 4])], attributes: ["starts": .ints([1]), "ends": .ints([3]), "axes": .ints([1])], opset: 1)
        #expect(y.shape == [2, 2])
        #expect(y.floats == [1, 2, 5, 6])
    }

    @Test func padModes() throws {
        let x = Tensor(shape: [1, 3], floats: [1, 2, 3])
        let pads = ints([0, 2, 0, 1])
        #expect(try run1("Pad", [x, pads, Tensor(scalar: Float(9))], opset: 13).floats == [9, 9, 1, 2, 3, 9])
        #expect(try run1("Pad", [x, pads], attributes: ["mode": .string("reflect")], opset: 13).floats == [3, 2, 1, 2, 3, 2])
        #expect(try run1("Pad", [x, pads], attributes: ["mode": .string("edge")], opset: 13).floats == [1, 1, 1, 2, 3, 3])
        let old = try run1("Pad", [x], attributes: ["pads": .ints([1, 0, 0, 0]), "value": .float(7)], opset: 2)
        #expect(old.shape == [2, 3])
        #expect(old.floats == [7, 7, 7, 1, 2, 3])
    }

    /// A float32 constant pad of the last two axes takes the plane-by-plane path: the same values as the general
    /// one, which an int32 copy of the tensor takes (zero and non-zero fill, pads on every side, wide rows, planes
    /// enough to split over the cores).
    @Test func planePadMatchesGeneralPad() throws {
        let x = arange([2, 40, 13, 37])
        let asInt = Tensor(shape: x.shape, scalars: x.floats.map(Int32.init))
        let cases: [(fill: Float, pads: [Int])] = [
            (0, [0, 0, 1, 0, 0, 0, 2, 3]), (1.5, [0, 0, 0, 1, 0, 0, 1, 0]), (-2, [0, 0, 3, 17, 0, 0, 2, 9]),
        ]
        for (fill, pads) in cases {
            let y = try run1("Pad", [x, ints(pads.map(Int64.init)), Tensor(scalar: fill)], opset: 13)
            let general = try run1("Pad", [asInt, ints(pads.map(Int64.init)), Tensor(scalar: Int32(fill))], opset: 13)
            #expect(y.shape == general.shape)
            let expected = general.scalars(as: Int32.self).enumerated().map { i, v in
                Self.isFill(i, shape: general.shape, pads: pads) ? fill : Float(v)
            }
            #expect(y.floats == expected, "fill \(fill), pads \(pads)")
        }
    }

    /// Whether flat index `i` of a padded NCHW tensor lies in the padding of its last two axes.
    static func isFill(_ i: Int, shape: [Int], pads: [Int]) -> Bool {
        let (w, h) = (shape[3], shape[2])
        let (row, column) = ((i / w) % h, i % w)
        return row < pads[2] || row >= h - pads[6] || column < pads[3] || column >= w - pads[7]
    }

    @Test func negativePadsCrop() throws {
        let y = try run1("Pad", [arange([4]), ints([-1, -2])], opset: 13)
        #expect(y.floats == [1])
    }

    @Test func gatherRowsAndNegativeIndices() throws {
        let y = try run1("Gather", [arange([3, 2]), ints([2, -3])])
        #expect(y.shape == [2, 2])
        #expect(y.floats == [4, 5, 0, 1])
        let columns = try run1("Gather", [arange([2, 3]), Tensor(shape: [], scalars: [Int64(1)])], attributes: ["axis": .int(1)])
        #expect(columns.shape == [2])
        #expect(columns.floats == [1, 4])
    }

    @Test func gatherRejectsOutOfRangeIndex() {
        #expect(throws: RuntimeError.invalidInput(node: "n", op: "Gather", problem: "index 3 is out of range for dimension 3")) {
            try run1("Gather", [arange([3]), ints([3])])
        }
    }

    @Test func transposeConcatSplit() throws {
        let t = try run1("Transpose", [arange([2, 3])], attributes: ["perm": .ints([1, 0])])
        #expect(t.shape == [3, 2])
        #expect(t.floats == [0, 3, 1, 4, 2, 5])
        let c = try run1("Concat", [arange([2, 1]), arange([2, 2])], attributes: ["axis": .int(-1)])
        #expect(c.floats == [0, 0, 1, 1, 2, 3])
        let parts = try runKernel("Split", [arange([5]), ints([2, 3])], opset: 13, outputs: 2)
        #expect(parts.map(\.floats) == [[0, 1], [2, 3, 4]])
        let equal = try runKernel("Split", [arange([5])], attributes: ["num_outputs": .int(2)], opset: 18, outputs: 2)
        #expect(equal.map(\.floats) == [[0, 1, 2], [3, 4]])
    }

    @Test func reshapeZeroAndMinusOne() throws {
        let y = try run1("Reshape", [arange([2, 3, 4]), ints([0, -1])])
        #expect(y.shape == [2, 12])
        let z = try run1("Reshape", [Tensor(shape: [0, 3], floats: []), ints([3, 0])], attributes: ["allowzero": .int(1)])
        #expect(z.shape == [3, 0])
    }

    @Test func squeezeUnsqueezeBothForms() throws {
        let x = arange([1, 3, 1])
        #expect(try run1("Squeeze", [x], attributes: ["axes": .ints([0])], opset: 11).shape == [3, 1])
        #expect(try run1("Squeeze", [x], opset: 13).shape == [3])
        #expect(try run1("Unsqueeze", [arange([3])], attributes: ["axes": .ints([0, -1])], opset: 11).shape == [1, 3, 1])
        #expect(try run1("Unsqueeze", [arange([3]), ints([1])], opset: 13).shape == [3, 1])
    }

    @Test func expandTileShape() throws {
        #expect(try run1("Expand", [Tensor(shape: [2, 1], floats: [1, 2]), ints([2, 3])]).floats == [1, 1, 1, 2, 2, 2])
        let tiled = try run1("Tile", [Tensor(shape: [1, 2], floats: [1, 2]), ints([2, 2])])
        #expect(tiled.shape == [2, 4])
        #expect(tiled.floats == [1, 2, 1, 2, 1, 2, 1, 2])
        #expect(try run1("Shape", [arange([2, 3, 4])], attributes: ["start": .int(1)]).int64s == [3, 4])
    }

    @Test func reduceMeanKeepdimsAndArgMax() throws {
        let x = arange([2, 3])
        let m = try run1("ReduceMean", [x], attributes: ["axes": .ints([1])], opset: 13)
        #expect(m.shape == [2, 1])
        #expect(m.floats == [1, 4])
        let s = try run1("ReduceSum", [x, ints([0])], attributes: ["keepdims": .int(0)], opset: 13)
        #expect(s.floats == [3, 5, 7])
        let a = try run1("ArgMax", [Tensor(shape: [2, 3], floats: [1, 9, 9, 7, 2, 3])], attributes: ["axis": .int(1)])
        #expect(a.int64s == [1, 0])
    }
}

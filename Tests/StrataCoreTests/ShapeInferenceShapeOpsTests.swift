import StrataCore
import Testing

/// Operators that move dimensions around: Flatten, Reshape, Transpose, Concat, Split, Slice, Pad,
/// Squeeze, Unsqueeze, Expand, Tile, Gather, Resize.
struct ShapeInferenceShapeOpsTests {
    @Test func flattenAndReshape() {
        let r = infer([
            node("Flatten", ["x"], ["f1"]),
            node("Flatten", ["x"], ["f2"], ["axis": .int(2)]),
            node("Flatten", ["x"], ["f0"], ["axis": .int(0)]),
            node("Reshape", ["x", "zeroMinusOne"], ["r"]),
            node("Reshape", ["f2", "back"], ["roundTrip"]),
            node("Reshape", ["x", "allZero"], ["zeros"], ["allowzero": .int(1)]),
            node("Reshape", ["image", "newShape"], ["nchw"]),
        ], inputs: [input("x", ["N", 16, 4, 4]), input("image", ["unk__47", 1, 28, 28])],
           initializers: ["zeroMinusOne": int64s([0, -1]), "back": int64s([-1, 16, 4, 4]),
                          "allZero": int64s([0, 256]), "newShape": int64s([-1, 1, 28, 28])])
        #expect(shapeOf("f1", r) == ["N", 256])
        #expect(shapeOf("f2", r) == ["N*16", 16])
        #expect(shapeOf("f0", r) == [1, "N*256"])
        #expect(shapeOf("r", r) == ["N", 256])
        #expect(shapeOf("roundTrip", r) == ["N", 16, 4, 4])
        #expect(shapeOf("zeros", r) == [0, 256])
        #expect(shapeOf("nchw", r) == ["unk__47", 1, 28, 28])
    }

    @Test func reshapeOpset1UsesTheAttribute() {
        let r = infer([node("Reshape", ["x"], ["y"], ["shape": .ints([0, -1])])], inputs: [input("x", ["N", 3, 4])], opset: 4)
        #expect(shapeOf("y", r) == ["N", 12])
    }

    @Test func reshapeWithUnknownTargetKeepsTheRank() {
        let r = infer([node("Reshape", ["x", "s"], ["y"])], inputs: [input("x", ["N", 3, 4]), input("s", [3], .int64)])
        #expect(shapeOf("y", r)?.count == 3)
        #expect(shapeOf("y", r)?.allSatisfy(isFresh) == true)
    }

    @Test func transposeAndConcat() {
        let r = infer([
            node("Transpose", ["x"], ["reversed"]),
            node("Transpose", ["x"], ["nhwc"], ["perm": .ints([0, 2, 3, 1])]),
            node("Concat", ["x", "y"], ["cat"], ["axis": .int(1)]),
            node("Concat", ["x", "x"], ["catBatch"], ["axis": .int(0)]),
            node("Concat", ["x", "y"], ["catNegative"], ["axis": .int(-3)]),
        ], inputs: [input("x", ["N", 3, 8, 9]), input("y", ["N", 5, 8, 9])])
        #expect(shapeOf("reversed", r) == [9, 8, 3, "N"])
        #expect(shapeOf("nhwc", r) == ["N", 8, 9, 3])
        #expect(shapeOf("cat", r) == ["N", 8, 8, 9])
        #expect(shapeOf("catNegative", r) == ["N", 8, 8, 9])
        #expect(isFresh(shapeOf("catBatch", r)?[0]))
    }

    @Test func split() {
        let r11 = infer([
            node("Split", ["x"], ["a", "b"], ["axis": .int(1), "split": .ints([2, 3])]),
            node("Split", ["x"], ["c", "d", "e", "f", "g"], ["axis": .int(1)]),
        ], inputs: [input("x", ["N", 5])], opset: 11)
        #expect(shapeOf("a", r11) == ["N", 2])
        #expect(shapeOf("b", r11) == ["N", 3])
        #expect(shapeOf("g", r11) == ["N", 1])

        let r18 = infer([
            node("Split", ["x", "sizes"], ["a", "b"], ["axis": .int(-1)]),
            node("Split", ["y"], ["c", "d", "e"], ["axis": .int(1), "num_outputs": .int(3)]),
            node("Split", ["z"], ["h1", "h2"]),
        ], inputs: [input("x", ["N", 10]), input("y", ["N", 10]), input("z", ["N*2", 3])],
           initializers: ["sizes": int64s([7, 3])], opset: 18)
        #expect(shapeOf("a", r18) == ["N", 7])
        #expect(shapeOf("b", r18) == ["N", 3])
        #expect(shapeOf("c", r18) == ["N", 4])
        #expect(shapeOf("e", r18) == ["N", 2])
        #expect(shapeOf("h1", r18) == ["N", 3])
    }

    @Test func sliceOpset1Attributes() {
        let r = infer([
            node("Slice", ["x"], ["y"], ["starts": .ints([1]), "ends": .ints([1000]), "axes": .ints([1])]),
            node("Slice", ["x"], ["z"], ["starts": .ints([0, -3]), "ends": .ints([1, -1])]),
        ], inputs: [input("x", [4, 10])], opset: 9)
        #expect(shapeOf("y", r) == [4, 9])
        #expect(shapeOf("z", r) == [1, 2])
    }

    @Test func sliceOpset13Inputs() {
        let r = infer([
            node("Slice", ["x", "m1", "minEnd", "one", "m1"], ["reversed"]),
            node("Slice", ["x", "eight", "one", "one", "m3"], ["strided"]),
            node("Slice", ["x", "m100", "hundred", "one"], ["clamped"]),
            node("Slice", ["x", "one", "max", "one", "two"], ["odd"]),
            node("Slice", ["x", "zero", "max"], ["wholeBatch"]),
            node("Slice", ["x", "zero", "one"], ["firstOfBatch"]),
        ], inputs: [input("x", ["N", 10])],
           initializers: ["m1": int64s([-1]), "minEnd": int64s([Int(Int64.min)]), "one": int64s([1]), "eight": int64s([8]),
                          "m3": int64s([-3]), "m100": int64s([-100]), "hundred": int64s([100]), "two": int64s([2]),
                          "zero": int64s([0]), "max": int64s([Int(Int64.max)])])
        #expect(shapeOf("reversed", r) == ["N", 10])
        #expect(shapeOf("strided", r) == ["N", 3])  // 8, 5, 2
        #expect(shapeOf("clamped", r) == ["N", 10])
        #expect(shapeOf("odd", r) == ["N", 5])
        #expect(shapeOf("wholeBatch", r) == ["N", 10])
        #expect(isFresh(shapeOf("firstOfBatch", r)?[0]))
    }

    @Test func sliceWithUnknownBoundsKeepsTheOtherAxes() {
        let r = infer([
            node("Slice", ["x", "starts", "ends", "axes"], ["y"]),
            node("Slice", ["x", "starts", "ends"], ["z"]),
        ], inputs: [input("x", ["N", 10, 7]), input("starts", [1], .int64), input("ends", [1], .int64)],
           initializers: ["axes": int64s([-1])])
        #expect(shapeOf("y", r)?.prefix(2) == ["N", 10])
        #expect(isFresh(shapeOf("y", r)?[2]))
        #expect(isFresh(shapeOf("z", r)?[0]))
        #expect(shapeOf("z", r)?.suffix(2) == [10, 7])
    }

    @Test func pad() {
        let r2 = infer([node("Pad", ["x"], ["y"], ["pads": .ints([0, 0, 1, 1, 0, 0, 1, 1])])],
                       inputs: [input("x", ["N", 3, 32, 32])], opset: 2)
        #expect(shapeOf("y", r2) == ["N", 3, 34, 34])
        let r13 = infer([
            node("Pad", ["x", "bottomRight"], ["y"]),
            node("Pad", ["x", "crop"], ["z"]),
        ], inputs: [input("x", ["N", 3, 32, 32])],
           initializers: ["bottomRight": int64s([0, 0, 0, 0, 0, 0, 1, 1]), "crop": int64s([0, 0, -1, -1, 0, 0, 0, 0])])
        #expect(shapeOf("y", r13) == ["N", 3, 33, 33])
        #expect(shapeOf("z", r13) == ["N", 3, 31, 31])
        let r18 = infer([node("Pad", ["x", "p", "", "axes"], ["y"])], inputs: [input("x", ["N", 3, 32, 32])],
                        initializers: ["p": int64s([2, 0, 2, 1]), "axes": int64s([2, -1])], opset: 18)
        #expect(shapeOf("y", r18) == ["N", 3, 36, 33])
    }

    @Test func squeezeAndUnsqueezeBothForms() {
        let r11 = infer([
            node("Squeeze", ["x"], ["sq"], ["axes": .ints([2, 3])]),
            node("Squeeze", ["ones"], ["sqAll"]),
            node("Unsqueeze", ["v"], ["unsq"], ["axes": .ints([0, 3])]),
        ], inputs: [input("x", ["N", 64, 1, 1]), input("ones", [1, 3, 1]), input("v", [3, 4])], opset: 11)
        #expect(shapeOf("sq", r11) == ["N", 64])
        #expect(shapeOf("sqAll", r11) == [3])
        #expect(shapeOf("unsq", r11) == [1, 3, 4, 1])

        let r13 = infer([
            node("Squeeze", ["x", "last"], ["sq"]),
            node("Unsqueeze", ["v", "last"], ["unsq"]),
            node("Unsqueeze", ["v", "frontBack"], ["unsq2"]),
        ], inputs: [input("x", ["N", 64, 1]), input("v", [3, 4])],
           initializers: ["last": int64s([-1]), "frontBack": int64s([0, -1])], opset: 13)
        #expect(shapeOf("sq", r13) == ["N", 64])
        #expect(shapeOf("unsq", r13) == [3, 4, 1])
        #expect(shapeOf("unsq2", r13) == [1, 3, 4, 1])
    }

    @Test func expandTileGather() {
        let r = infer([
            node("Expand", ["col", "target"], ["expanded"]),
            node("Tile", ["x", "twice"], ["tiled"]),
            node("Gather", ["data", "idx"], ["gathered"], ["axis": .int(1)]),
            node("Gather", ["table", "scalar"], ["row"]),
            node("Gather", ["data", "scalar"], ["last"], ["axis": .int(-1)]),
        ], inputs: [input("col", [3, 1]), input("x", ["N", 3]), input("data", ["N", 5, 6]), input("table", [10, 20]),
                    input("idx", [2, 3], .int64)],
           initializers: ["target": int64s([2, 1, 4]), "twice": int64s([2, 2]), "scalar": int64s([-1], shape: [])])
        #expect(shapeOf("expanded", r) == [2, 3, 4])
        #expect(shapeOf("tiled", r) == ["N*2", 6])
        #expect(shapeOf("gathered", r) == ["N", 2, 3, 6])
        #expect(shapeOf("row", r) == [20])
        #expect(shapeOf("last", r) == ["N", 5])
    }

    @Test func resizeAndUpsample() {
        let r13 = infer([
            node("Resize", ["x", "", "scales"], ["byScale"], ["mode": .string("nearest")]),
            node("Resize", ["x", "roi", "empty", "sizes"], ["bySize"], ["mode": .string("linear")]),
        ], inputs: [input("x", ["N", 3, 16, 16])],
           initializers: ["scales": floats([1, 1, 2, 2]), "sizes": int64s([1, 3, 20, 30]), "roi": floats([]),
                          "empty": floats([])])
        #expect(shapeOf("byScale", r13) == ["N", 3, 32, 32])
        #expect(shapeOf("bySize", r13) == [1, 3, 20, 30])

        let r10 = infer([node("Resize", ["x", "scales"], ["y"])], inputs: [input("x", [1, 3, 5, 5])],
                        initializers: ["scales": floats([1, 1, 1.5, 2])], opset: 10)
        #expect(shapeOf("y", r10) == [1, 3, 7, 10])
        let r7 = infer([node("Upsample", ["x"], ["y"], ["scales": .floats([1, 1, 2, 2])])], inputs: [input("x", ["N", 3, 5, 5])], opset: 7)
        #expect(shapeOf("y", r7) == ["N", 3, 10, 10])
        let r9 = infer([node("Upsample", ["x", "scales"], ["y"])], inputs: [input("x", ["N", 3, 5, 5])],
                       initializers: ["scales": floats([2, 1, 3, 3])], opset: 9)
        #expect(shapeOf("y", r9) == ["N*2", 3, 15, 15])
        let r18 = infer([node("Resize", ["x", "", "", "sizes"], ["y"], ["axes": .ints([2, 3]), "keep_aspect_ratio_policy": .string("not_larger")])],
                        inputs: [input("x", [1, 3, 10, 20])], initializers: ["sizes": int64s([8, 8])], opset: 18)
        #expect(shapeOf("y", r18) == [1, 3, 4, 8])
    }
}

import StrataCore
import Testing

/// Convolution, pooling, matrix products and normalization.
struct ShapeInferenceConvTests {
    struct ConvCase: CustomTestStringConvertible, Sendable {
        var name: String
        var x: [Dim]
        var w: [Int]
        var attributes: [String: Attribute]
        var expected: [Dim]
        var testDescription: String { name }
    }

    static let convCases: [ConvCase] = [
        ConvCase(name: "asymmetric pads, stride 2", x: ["N", 3, 224, 224], w: [32, 3, 3, 3],
                 attributes: ["pads": .ints([0, 0, 1, 1]), "strides": .ints([2, 2])], expected: ["N", 32, 112, 112]),
        ConvCase(name: "dilation 2, pads 1", x: ["N", 3, 32, 32], w: [8, 3, 3, 3],
                 attributes: ["pads": .ints([1, 1, 1, 1]), "dilations": .ints([2, 2])], expected: ["N", 8, 30, 30]),
        ConvCase(name: "depthwise SAME_UPPER stride 2", x: ["N", 32, 56, 56], w: [32, 1, 3, 3],
                 attributes: ["group": .int(32), "auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2])],
                 expected: ["N", 32, 28, 28]),
        ConvCase(name: "SAME_LOWER stride 2, odd size", x: [1, 4, 57, 57], w: [4, 4, 3, 3],
                 attributes: ["auto_pad": .string("SAME_LOWER"), "strides": .ints([2, 2])], expected: [1, 4, 29, 29]),
        ConvCase(name: "VALID stride 2", x: [1, 4, 57, 57], w: [6, 4, 3, 3],
                 attributes: ["auto_pad": .string("VALID"), "strides": .ints([2, 2]), "pads": .ints([5, 5, 5, 5])],
                 expected: [1, 6, 28, 28]),
        ConvCase(name: "kernel_shape attribute, 1-D", x: ["N", 2, 10], w: [5, 2, 4],
                 attributes: ["kernel_shape": .ints([4]), "strides": .ints([3])], expected: ["N", 5, 3]),
        ConvCase(name: "symbolic spatial size, SAME stride 1", x: ["N", 3, "H", "W"], w: [8, 3, 3, 3],
                 attributes: ["auto_pad": .string("SAME_UPPER")], expected: ["N", 8, "H", "W"]),
        ConvCase(name: "symbolic spatial size, explicit same pads", x: ["N", 3, "H", 9], w: [8, 3, 5, 5],
                 attributes: ["pads": .ints([2, 2, 2, 2])], expected: ["N", 8, "H", 9]),
    ]

    @Test(arguments: convCases)
    func conv(_ c: ConvCase) {
        let r = infer([node("Conv", ["x", "w"], ["y"], c.attributes)], inputs: [input("x", c.x)],
                      initializers: ["w": Tensor(dtype: .float32, shape: c.w)])
        #expect(shapeOf("y", r) == c.expected)
        #expect(r.types["y"]?.dtype == .float32)
    }

    @Test func convWithStrideOnSymbolicSizeGivesFreshSymbol() {
        let r = infer([node("Conv", ["x", "w"], ["y"], ["strides": .ints([2, 2])])], inputs: [input("x", ["N", 3, "H", "W"])],
                      initializers: ["w": Tensor(dtype: .float32, shape: [8, 3, 3, 3])])
        let s = shapeOf("y", r)
        #expect(s?.prefix(2) == ["N", 8])
        #expect(isFresh(s?[2]) && isFresh(s?[3]) && s?[2] != s?[3])
    }

    @Test func convTranspose() {
        let w = Tensor(dtype: .float32, shape: [8, 4, 3, 3])
        let r = infer([
            node("ConvTranspose", ["x", "w"], ["a"], ["group": .int(2), "strides": .ints([2, 2]),
                                                       "pads": .ints([1, 1, 1, 1]), "output_padding": .ints([1, 1])]),
            node("ConvTranspose", ["x", "w"], ["b"], ["strides": .ints([2, 2]), "output_shape": .ints([30, 31])]),
            node("ConvTranspose", ["x", "w"], ["c"], ["strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")]),
            node("ConvTranspose", ["x", "w"], ["d"], ["dilations": .ints([2, 2])]),
        ], inputs: [input("x", ["N", 8, 14, 14])], initializers: ["w": w])
        #expect(shapeOf("a", r) == ["N", 8, 28, 28])  // 2·13 + 1 + 3 − 2
        #expect(shapeOf("b", r) == ["N", 4, 30, 31])
        #expect(shapeOf("c", r) == ["N", 4, 28, 28])
        #expect(shapeOf("d", r) == ["N", 4, 18, 18])  // 13 + 5
    }

    @Test func pools() {
        let r = infer([
            node("MaxPool", ["x"], ["floor"], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2])]),
            node("MaxPool", ["x"], ["ceil", "indices"], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)]),
            node("AveragePool", ["x"], ["padded"], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]),
            node("MaxPool", ["x"], ["dilated"], ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 2])]),
            node("AveragePool", ["x"], ["same"], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")]),
            node("MaxPool", ["tiny"], ["dropped"], ["kernel_shape": .ints([1, 1]), "strides": .ints([2, 2]), "ceil_mode": .int(1)]),
            node("GlobalAveragePool", ["x"], ["gap"]),
            node("GlobalMaxPool", ["x"], ["gmp"]),
        ], inputs: [input("x", ["N", 16, 6, 6]), input("tiny", [1, 1, 2, 2])])
        #expect(shapeOf("floor", r) == ["N", 16, 2, 2])
        #expect(shapeOf("ceil", r) == ["N", 16, 3, 3])
        #expect(r.types["indices"] == TensorType(dtype: .int64, shape: ["N", 16, 3, 3]))
        #expect(shapeOf("padded", r) == ["N", 16, 3, 3])
        #expect(shapeOf("dilated", r) == ["N", 16, 4, 4])
        #expect(shapeOf("same", r) == ["N", 16, 3, 3])
        // The second window would start in the end padding, so ceil mode drops it.
        #expect(shapeOf("dropped", r) == [1, 1, 1, 1])
        #expect(shapeOf("gap", r) == ["N", 16, 1, 1])
        #expect(shapeOf("gmp", r) == ["N", 16, 1, 1])
    }

    @Test func gemm() {
        let r = infer([
            node("Gemm", ["a", "b", "c"], ["plain"]),
            node("Gemm", ["a", "bt", "c"], ["transB"], ["transB": .int(1)]),
            node("Gemm", ["at", "b", "c"], ["transA"], ["transA": .int(1)]),
        ], inputs: [input("a", ["N", 256]), input("at", [256, "N"])],
           initializers: ["b": Tensor(dtype: .float32, shape: [256, 10]), "bt": Tensor(dtype: .float32, shape: [10, 256]),
                          "c": Tensor(dtype: .float32, shape: [10])])
        #expect(shapeOf("plain", r) == ["N", 10])
        #expect(shapeOf("transB", r) == ["N", 10])
        #expect(shapeOf("transA", r) == ["N", 10])
    }

    @Test func matMul() {
        let r = infer([
            node("MatMul", ["a4", "b3"], ["batched"]),
            node("MatMul", ["v", "bn"], ["vectorLeft"]),
            node("MatMul", ["an", "v"], ["vectorRight"]),
            node("MatMul", ["v", "v"], ["dot"]),
            node("MatMul", ["x", "w"], ["dense"]),
        ], inputs: [input("a4", [2, 1, 3, 4]), input("b3", [5, 4, 6]), input("v", [4]), input("bn", ["N", 4, 6]),
                    input("an", ["N", 3, 4]), input("x", ["N", 400])],
           initializers: ["w": Tensor(dtype: .float32, shape: [400, 64])])
        #expect(shapeOf("batched", r) == [2, 5, 3, 6])
        #expect(shapeOf("vectorLeft", r) == ["N", 6])
        #expect(shapeOf("vectorRight", r) == ["N", 3])
        #expect(shapeOf("dot", r) == [])
        #expect(shapeOf("dense", r) == ["N", 64])
    }

    @Test func normalizations() {
        let r = infer([
            node("BatchNormalization", ["x", "s", "s", "s", "s"], ["bn"]),
            node("InstanceNormalization", ["x", "s", "s"], ["in"]),
            node("LRN", ["x"], ["lrn"], ["size": .int(3)]),
            node("LayerNormalization", ["t", "g"], ["ln", "mean", "invstd"], ["axis": .int(-1)]),
            node("LayerNormalization", ["t", "g"], ["ln1", "mean1"], ["axis": .int(1)]),
        ], inputs: [input("x", ["N", 8, 5, 5]), input("t", ["N", "T", 32])],
           initializers: ["s": Tensor(dtype: .float32, shape: [8]), "g": Tensor(dtype: .float32, shape: [32])])
        #expect(shapeOf("bn", r) == ["N", 8, 5, 5])
        #expect(shapeOf("in", r) == ["N", 8, 5, 5])
        #expect(shapeOf("lrn", r) == ["N", 8, 5, 5])
        #expect(shapeOf("ln", r) == ["N", "T", 32])
        #expect(shapeOf("mean", r) == ["N", "T", 1])
        #expect(shapeOf("invstd", r) == ["N", "T", 1])
        #expect(shapeOf("mean1", r) == ["N", 1, 1])
    }

    @Test func reductions() {
        let r = infer([
            node("ReduceMean", ["x"], ["keep"], ["axes": .ints([2, 3])]),
            node("ReduceMean", ["x"], ["drop"], ["axes": .ints([-1, -2]), "keepdims": .int(0)]),
            node("ReduceMean", ["x"], ["all"], ["keepdims": .int(0)]),
            node("ReduceMean", ["x"], ["allKept"]),
            node("ReduceMean", ["x"], ["noop"], ["noop_with_empty_axes": .int(1)]),
            node("ArgMax", ["x"], ["arg"], ["axis": .int(1), "keepdims": .int(0)]),
        ], inputs: [input("x", ["N", 8, 5, 5])], opset: 13)
        #expect(shapeOf("keep", r) == ["N", 8, 1, 1])
        #expect(shapeOf("drop", r) == ["N", 8])
        #expect(shapeOf("all", r) == [])
        #expect(shapeOf("allKept", r) == [1, 1, 1, 1])
        #expect(shapeOf("noop", r) == ["N", 8, 5, 5])
        #expect(r.types["arg"] == TensorType(dtype: .int64, shape: ["N", 5, 5]))

        let r18 = infer([
            node("ReduceMean", ["x", "axes"], ["input"], ["keepdims": .int(0)]),
            node("ReduceMean", ["x", "unknownAxes"], ["unknown"]),
        ], inputs: [input("x", ["N", 8, 5, 5]), input("unknownAxes", [2], .int64)], initializers: ["axes": int64s([1])], opset: 18)
        #expect(shapeOf("input", r18) == ["N", 5, 5])
        #expect(shapeOf("unknown", r18)?.count == 4)
    }
}

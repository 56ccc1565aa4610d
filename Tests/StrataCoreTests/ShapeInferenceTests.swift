import StrataCore
import Testing

/// Elementwise rules, value propagation through shape subgraphs, declared types and malformed graphs.
struct ShapeInferenceTests {
    // MARK: - Elementwise

    @Test func unaryOpsKeepTheType() {
        let ops = ["Relu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Softplus", "HardSwish", "Gelu", "Erf", "Sqrt",
                   "Exp", "Log", "Clip", "Identity", "LeakyRelu", "Elu", "Selu", "HardSigmoid", "Neg", "Abs"]
        let r = infer(ops.map { node($0, ["x"], [$0]) }, inputs: [input("x", ["N", 10])])
        for op in ops { #expect(r.types[op] == TensorType(dtype: .float32, shape: ["N", 10]), "\(op)") }
    }

    @Test func broadcastingWithSymbols() {
        let r = infer([
            node("Add", ["a", "b"], ["ab"]),
            node("Mul", ["n1", "n5"], ["sameN"]),
            node("Sub", ["n", "m"], ["different"]),
            node("Div", ["n", "five"], ["numberWins"]),
            node("Pow", ["a", "scalar"], ["pow"]),
            node("Sum", ["a", "b", "n5"], ["sum"]),
            node("Max", ["a", "b"], ["max"]),
            node("Min", ["a", "scalar"], ["min"]),
            node("PRelu", ["img", "slope"], ["prelu"]),
        ], inputs: [input("a", ["N", 3, 1]), input("b", [1, 4]), input("n1", ["N", 1]), input("n5", ["N", 5]),
                    input("n", ["N"]), input("m", ["M"]), input("five", [5]), input("scalar", []),
                    input("img", ["N", 8, 4, 4])], initializers: ["slope": Tensor(dtype: .float32, shape: [8, 1, 1])])
        #expect(shapeOf("ab", r) == ["N", 3, 4])
        #expect(shapeOf("sameN", r) == ["N", 5])
        #expect(isFresh(shapeOf("different", r)?[0]))
        #expect(shapeOf("numberWins", r) == [5])
        #expect(shapeOf("pow", r) == ["N", 3, 1])
        #expect(shapeOf("sum", r)?.prefix(2) == ["N", 3])
        #expect(isFresh(shapeOf("sum", r)?[2]))  // 4 against 5: no valid size, so unknown
        #expect(shapeOf("max", r) == ["N", 3, 4])
        #expect(shapeOf("min", r) == ["N", 3, 1])
        #expect(shapeOf("prelu", r) == ["N", 8, 4, 4])
    }

    @Test func comparisonsAreBooleanAndWhereTakesTheValueType() {
        let r = infer([
            node("Equal", ["a", "b"], ["eq"]),
            node("Greater", ["a", "b"], ["gt"]),
            node("Less", ["a", "b"], ["lt"]),
            node("Where", ["eq", "x", "y"], ["picked"]),
            node("Cast", ["a"], ["asInt"], ["to": .int(6)]),
            node("Dropout", ["a"], ["dropped", "mask"]),
        ], inputs: [input("a", ["N", 1]), input("b", [1, 4]), input("x", [1, 4], .float64), input("y", [])])
        #expect(r.types["eq"] == TensorType(dtype: .bool, shape: ["N", 4]))
        #expect(r.types["gt"]?.dtype == .bool)
        #expect(r.types["lt"]?.dtype == .bool)
        #expect(r.types["picked"] == TensorType(dtype: .float64, shape: ["N", 4]))
        #expect(r.types["asInt"] == TensorType(dtype: .int32, shape: ["N", 1]))
        #expect(r.types["dropped"] == TensorType(dtype: .float32, shape: ["N", 1]))
        #expect(r.types["mask"] == TensorType(dtype: .bool, shape: ["N", 1]))
    }

    // MARK: - Shape subgraphs

    /// The digits model as tf2onnx writes it: Flatten under a dynamic batch is Shape → Gather → Cast(int32)
    /// → Slice → Concat → Cast(int64) → Reshape.
    static let digitsGraph = Graph(
        name: "digits",
        nodes: [
            node("Reshape", ["image", "new_shape"], ["nchw"]),
            node("Conv", ["nchw", "w1", "b1"], ["conv1"], ["kernel_shape": .ints([5, 5]), "pads": .ints([2, 2, 2, 2])]),
            node("Relu", ["conv1"], ["relu1"]),
            node("MaxPool", ["relu1"], ["pool1"], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
            node("Conv", ["pool1", "w2", "b2"], ["conv2"], ["kernel_shape": .ints([5, 5])]),
            node("Relu", ["conv2"], ["relu2"]),
            node("MaxPool", ["relu2"], ["pool2"], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
            node("Transpose", ["pool2"], ["nhwc"], ["perm": .ints([0, 2, 3, 1])]),
            node("Shape", ["pool2"], ["shape"]),
            node("Gather", ["shape", "perm"], ["shapeNHWC"]),
            node("Cast", ["shapeNHWC"], ["shape32"], ["to": .int(6)]),
            node("Slice", ["shape32", "zero", "one", "zero"], ["batch"]),
            node("Concat", ["batch", "flat"], ["target32"], ["axis": .int(0)]),
            node("Cast", ["target32"], ["target"], ["to": .int(7)]),
            node("Reshape", ["nhwc", "target"], ["flattened"]),
            node("MatMul", ["flattened", "w3"], ["fc1"]),
            node("Add", ["fc1", "b3"], ["fc1b"]),
            node("Relu", ["fc1b"], ["fc1r"]),
            node("MatMul", ["fc1r", "w4"], ["fc2"]),
            node("Add", ["fc2", "b4"], ["logits"]),
            node("Softmax", ["logits"], ["probs"]),
        ],
        inputs: [input("image", ["unk__47", 1, 28, 28])],
        outputs: [input("probs", ["unk__48", 10])],
        initializers: [
            "new_shape": int64s([-1, 1, 28, 28]), "perm": int64s([0, 2, 3, 1]), "zero": int64s([0]), "one": int64s([1]),
            "flat": Tensor(shape: [1], scalars: [Int32(400)]),
            "w1": Tensor(dtype: .float32, shape: [6, 1, 5, 5]), "b1": Tensor(dtype: .float32, shape: [6]),
            "w2": Tensor(dtype: .float32, shape: [16, 6, 5, 5]), "b2": Tensor(dtype: .float32, shape: [16]),
            "w3": Tensor(dtype: .float32, shape: [400, 64]), "b3": Tensor(dtype: .float32, shape: [64]),
            "w4": Tensor(dtype: .float32, shape: [64, 10]), "b4": Tensor(dtype: .float32, shape: [10]),
        ],
        opsets: ["": 13])

    @Test func tf2onnxFlattenSubgraph() {
        let r = ShapeInference.inferTypesAndValues(Self.digitsGraph)
        #expect(shapeOf("nchw", r) == ["unk__47", 1, 28, 28])
        #expect(shapeOf("pool1", r) == ["unk__47", 6, 14, 14])
        #expect(shapeOf("pool2", r) == ["unk__47", 16, 5, 5])
        #expect(r.values["shapeNHWC"]?.elements == [.symbol("unk__47"), .int(5), .int(5), .int(16)])
        #expect(r.types["target32"] == TensorType(dtype: .int32, shape: [2]))
        #expect(r.values["target"]?.elements == [.symbol("unk__47"), .int(400)])
        #expect(shapeOf("flattened", r) == ["unk__47", 400])
        // The inferred batch symbol wins over the file's unrelated name for the output's batch.
        #expect(r.types["probs"] == TensorType(dtype: .float32, shape: ["unk__47", 10]))
        #expect(ShapeInference.infer(Self.digitsGraph) == r.types)
    }

    @Test func flattenPatternOnFourByFour() {
        let r = infer([
            node("Shape", ["x"], ["s"]),
            node("Gather", ["s", "zeroScalar"], ["n"]),
            node("Unsqueeze", ["n", "zero"], ["n1"]),
            node("Concat", ["n1", "minusOne"], ["target"], ["axis": .int(0)]),
            node("Reshape", ["x", "target"], ["y"]),
            node("Shape", ["x"], ["hw"], ["start": .int(-2)]),
            node("ReduceProd", ["hw"], ["area"], ["keepdims": .int(0)]),
            node("Mul", ["n", "sixteen"], ["nc"]),
            node("Div", ["nc", "sixteen"], ["backToN"]),
        ], inputs: [input("x", ["N", 16, 4, 4])],
           initializers: ["zeroScalar": int64s([0], shape: []), "zero": int64s([0]), "minusOne": int64s([-1]),
                          "sixteen": int64s([16], shape: [])])
        #expect(shapeOf("y", r) == ["N", 256])
        #expect(r.values["hw"]?.elements == [.int(4), .int(4)])
        #expect(r.values["nc"]?.elements == [.symbol("N*16")])
        #expect(r.values["backToN"]?.elements == [.symbol("N")])
    }

    /// Some exporters spell Reshape's `0` as `Where(Equal(target, 0), Shape(x), target)`.
    @Test func equalWhereAndSizeOnShapes() {
        let r = infer([
            node("Shape", ["x"], ["s"]),
            node("Equal", ["target", "zero"], ["isZero"]),
            node("Where", ["isZero", "s", "target"], ["resolved"]),
            node("Reshape", ["y", "resolved"], ["out"]),
            node("Size", ["x"], ["size"]),
            node("Shape", ["y"], ["middle"], ["start": .int(1), "end": .int(-1)]),
            node("Cast", ["middle"], ["middleFloat"], ["to": .int(1)]),
        ], inputs: [input("x", ["N", 256]), input("y", ["N", 16, 16])],
           initializers: ["target": int64s([0, -1]), "zero": int64s([0], shape: [])])
        #expect(r.values["isZero"]?.elements == [.int(1), .int(0)])
        #expect(r.values["resolved"]?.elements == [.symbol("N"), .int(-1)])
        #expect(shapeOf("out", r) == ["N", 256])
        #expect(r.values["size"]?.elements == [.symbol("N*256")])
        #expect(r.values["middle"]?.elements == [.int(16)])
        #expect(r.values["middleFloat"]?.elements == [.float(16)])
        #expect(r.types["middleFloat"] == TensorType(dtype: .float32, shape: [1]))
    }

    @Test func expandTileAndConstantOfShapeUseComputedValues() {
        let r = infer([
            node("Shape", ["x"], ["s"]),
            node("ConstantOfShape", ["s"], ["zeros"], ["value": .tensor(int64s([0]))]),
            node("Expand", ["row", "s"], ["expanded"]),
            node("Constant", [], ["reps"], ["value_ints": .ints([1, 2, 1])]),
            node("Tile", ["x", "reps"], ["tiled"]),
            node("Range", ["start", "limit", "delta"], ["range"]),
        ], inputs: [input("x", ["N", 3, 4]), input("row", [4])],
           initializers: ["start": int64s([0], shape: []), "limit": int64s([10], shape: []), "delta": int64s([3], shape: [])])
        #expect(r.types["zeros"] == TensorType(dtype: .int64, shape: ["N", 3, 4]))
        #expect(shapeOf("expanded", r) == ["N", 3, 4])
        #expect(shapeOf("tiled", r) == ["N", 6, 4])
        #expect(r.values["range"]?.elements == [.int(0), .int(3), .int(6), .int(9)])
    }

    @Test func constantForms() {
        let r = infer([
            node("Constant", [], ["t"], ["value": .tensor(floats([1, 2, 3, 4, 5, 6], shape: [2, 3]))]),
            node("Constant", [], ["f"], ["value_float": .float(0.5)]),
            node("Constant", [], ["fs"], ["value_floats": .floats([1, 2])]),
            node("Constant", [], ["i"], ["value_int": .int(7)]),
            node("Constant", [], ["is"], ["value_ints": .ints([3, 4, 5])]),
            node("ConstantOfShape", ["is"], ["filled"]),
            node("Range", ["f", "three", "f"], ["floatRange"]),
        ], inputs: [], initializers: ["three": floats([3], shape: [])])
        #expect(r.types["t"] == TensorType(dtype: .float32, shape: [2, 3]))
        #expect(r.types["f"] == TensorType(dtype: .float32, shape: []))
        #expect(r.types["fs"] == TensorType(dtype: .float32, shape: [2]))
        #expect(r.types["i"] == TensorType(dtype: .int64, shape: []))
        #expect(r.types["is"] == TensorType(dtype: .int64, shape: [3]))
        #expect(r.types["filled"] == TensorType(dtype: .float32, shape: [3, 4, 5]))
        #expect(r.values["filled"]?.elements.count == 60)
        #expect(shapeOf("floatRange", r) == [5])  // 0.5, 1, 1.5, 2, 2.5
    }

    // MARK: - Declared types and malformed graphs

    @Test func declaredTypesFillWhatInferenceCannotDecide() {
        let r = infer([
            node("CustomOp", ["x"], ["custom"]),
            node("Conv", ["x", "w"], ["conv"], ["strides": .ints([2, 2])]),
        ], inputs: [input("x", ["N", 3, "H", "W"])], initializers: ["w": Tensor(dtype: .float32, shape: [4, 3, 3, 3])],
           valueInfo: [input("custom", ["N", 7]), input("conv", ["N", 4, "H2", 17])])
        #expect(r.types["custom"] == TensorType(dtype: .float32, shape: ["N", 7]))
        #expect(r.types["conv"] == TensorType(dtype: .float32, shape: ["N", 4, "H2", 17]))
    }

    @Test func cycleStillInfersTheRest() {
        let graph = Graph(name: "cycle", nodes: [
            node("Relu", ["x"], ["ok"]),
            node("Add", ["ok", "b"], ["a"]),
            node("Relu", ["a"], ["b"]),
            node("Sigmoid", ["ok"], ["alsoOk"]),
        ], inputs: [input("x", ["N", 2])])
        #expect(throws: GraphError.self) { try graph.topologicalOrder() }
        let types = ShapeInference.infer(graph)
        #expect(types["ok"]?.shape == ["N", 2])
        #expect(types["alsoOk"]?.shape == ["N", 2])
        #expect(types["a"] == nil)
    }

    @Test func undefinedInputGivesUnknownTypesDownstream() {
        let r = infer([node("Add", ["x", "ghost"], ["y"]), node("Relu", ["y"], ["z"])], inputs: [input("x", ["N", 2])])
        #expect(r.types["y"]?.dtype == .float32)
        #expect(r.types["y"]?.shape == nil)
        #expect(r.types["z"] != nil)
    }

    @Test func hugeAndMalformedAttributesNeverTrap() {
        let huge = 1 << 62
        let r = infer([
            node("Conv", ["x", "w"], ["badStride"], ["strides": .ints([0, 0])]),
            node("Conv", ["x", "w"], ["hugePads"], ["pads": .ints([huge, huge, huge, huge])]),
            node("MaxPool", ["x"], ["noKernel"]),
            node("ConstantOfShape", ["hugeShape"], ["hugeZeros"]),
            node("Range", ["zero", "max", "one"], ["hugeRange"]),
            node("Slice", ["x", "zero1", "max1", "one1", "minStep"], ["bigStep"]),
            node("Reshape", ["x", "minusFive"], ["badReshape"]),
            node("Transpose", ["x"], ["badPerm"], ["perm": .ints([0, 0, 1, 2])]),
            node("Gather", ["s", "outOfRange"], ["badGather"]),
            node("Shape", ["x"], ["s"]),
            node("Concat", ["x", "one1"], ["rankMismatch"], ["axis": .int(0)]),
            node("Squeeze", ["x"], ["squeezeSymbolic"]),
            node("Unsqueeze", ["x"], ["unsqueezeNoAxes"], ["axes": .ints([9])]),
            node("Tile", ["x", "hugeShape"], ["hugeTile"]),
        ], inputs: [input("x", ["N", 3, 8, 8])],
           initializers: ["w": Tensor(dtype: .float32, shape: [4, 3, 3, 3]), "hugeShape": int64s([1 << 40, 1 << 40, huge, 1]),
                          "zero": int64s([0], shape: []), "max": int64s([Int(Int64.max)], shape: []), "one": int64s([1], shape: []),
                          "zero1": int64s([0]), "max1": int64s([Int(Int64.max)]), "one1": int64s([1]),
                          "minStep": int64s([Int(Int64.min)]), "minusFive": int64s([-5, 3]), "outOfRange": int64s([7])])
        #expect(isFresh(shapeOf("badStride", r)?[2]))
        #expect(isFresh(shapeOf("hugePads", r)?[2]))
        #expect(shapeOf("noKernel", r)?.count == 4)
        #expect(shapeOf("hugeZeros", r) == [.value(1 << 40), .value(1 << 40), .value(huge), 1])
        #expect(r.values["hugeZeros"] == nil)
        #expect(shapeOf("hugeRange", r) == [.value(Int(Int64.max))])
        #expect(r.values["hugeRange"] == nil)
        #expect(shapeOf("bigStep", r) == ["N", 0, 8, 8])
        #expect(shapeOf("badReshape", r)?.count == 2)
        #expect(shapeOf("badPerm", r) == nil)
        #expect(shapeOf("badGather", r) == [1])
        #expect(r.values["badGather"] == nil)
        #expect(shapeOf("rankMismatch", r) == nil)
        #expect(shapeOf("squeezeSymbolic", r) == nil)
        #expect(shapeOf("unsqueezeNoAxes", r) == nil)
        #expect(shapeOf("hugeTile", r)?.count == 4)
        #expect(isFresh(shapeOf("hugeTile", r)?[2]))
    }

    @Test func concatOfMismatchedKnownValuesIsRejectedNotTrapped() {
        let r = infer([node("Concat", ["a", "b"], ["c"], ["axis": .int(1)])], inputs: [],
                      initializers: ["a": int64s([1, 2, 3, 4, 5, 6], shape: [2, 3]), "b": int64s([7, 8, 9], shape: [1, 3])])
        #expect(r.values["c"] == nil)
    }

    @Test func symbolProductsStayShort() {
        var nodes = [node("Shape", ["x"], ["p0"])]
        for i in 1...40 { nodes.append(node("Mul", ["p\(i - 1)", "p\(i - 1)"], ["p\(i)"])) }
        nodes.append(node("Tile", ["x", "p40"], ["tiled"]))
        let r = infer(nodes, inputs: [input("x", ["N"])])
        #expect(r.values["p2"]?.elements == [.symbol("N*N*N*N")])
        #expect(r.values["p40"]?.elements == [.unknown])
        #expect(isFresh(shapeOf("tiled", r)?[0]))
    }

    @Test func knownValuesOfInitializersAndShapes() {
        let r = infer([node("Shape", ["x"], ["s"])], inputs: [input("x", ["N", 3])], initializers: ["k": int64s([1, 2])])
        #expect(r.values["k"] == KnownValue(shape: [2], elements: [.int(1), .int(2)]))
        #expect(r.values["s"] == KnownValue(shape: [2], elements: [.symbol("N"), .int(3)]))
        #expect(r.values["s"]?.isComplete == true)
        #expect(r.types["s"] == TensorType(dtype: .int64, shape: [2]))
    }
}

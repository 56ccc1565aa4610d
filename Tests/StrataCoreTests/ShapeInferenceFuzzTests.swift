import StrataCore
import Testing

/// Random graphs of supported operators with hostile attributes and shape tensors: inference must never
/// trap, never invent a negative dimension, and keep every known value consistent with its shape.
struct ShapeInferenceFuzzTests {
    /// A fixed-seed generator so a failure reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let ops = [
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "Relu", "Add", "Mul", "Sub", "Div",
        "Equal", "Where", "Softmax", "Gemm", "MatMul", "BatchNormalization", "LayerNormalization", "Dropout",
        "Flatten", "Reshape", "Transpose", "Concat", "Split", "Slice", "Pad", "Squeeze", "Unsqueeze", "Expand",
        "Tile", "Gather", "Shape", "Size", "Cast", "Constant", "ConstantOfShape", "Identity", "ReduceMean",
        "Resize", "Upsample", "Range", "Neg", "TopK", "DepthToSpace", "SpaceToDepth", "ArgMax", "Sum", "Max",
    ]
    static let attributeNames = [
        "axis", "axes", "perm", "kernel_shape", "strides", "pads", "dilations", "group", "auto_pad", "ceil_mode",
        "keepdims", "split", "starts", "ends", "to", "transA", "transB", "allowzero", "start", "end", "value",
        "value_int", "value_ints", "value_float", "value_floats", "num_outputs", "output_shape", "output_padding",
        "scales", "blocksize", "noop_with_empty_axes", "k", "shape", "keep_aspect_ratio_policy", "paddings",
    ]
    static let interesting = [0, 1, 2, 3, -1, -2, -3, 7, 1 << 20, 1 << 40, Int(Int64.max), Int(Int64.min)]
    static let words = ["SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET", "not_larger", "not_smaller", "stretch"]

    static func number(_ g: inout SplitMix) -> Int { interesting.randomElement(using: &g)! }

    static func numbers(_ g: inout SplitMix) -> [Int] { (0..<Int.random(in: 0...5, using: &g)).map { _ in number(&g) } }

    static func smallTensor(_ g: inout SplitMix) -> Tensor {
        if Int.random(in: 0..<8, using: &g) == 0 { return Tensor(dtype: .int64, shape: [0, 1 << 40, 1 << 40]) }
        let values = numbers(&g)
        let shape = values.count % 2 == 0 && Bool.random(using: &g) ? [2, values.count / 2] : [values.count]
        if Bool.random(using: &g) { return Tensor(shape: shape, scalars: values.map(Int64.init)) }
        return Tensor(shape: shape, floats: values.map { Float($0) / 2 })
    }

    static func attribute(_ g: inout SplitMix) -> Attribute {
        switch Int.random(in: 0..<5, using: &g) {
        case 0: .int(number(&g))
        case 1: .ints(numbers(&g))
        case 2: .string(words.randomElement(using: &g)!)
        case 3: .floats(numbers(&g).map { Float($0) / 3 })
        default: .tensor(smallTensor(&g))
        }
    }

    static func randomGraph(_ g: inout SplitMix) -> Graph {
        let dims: [Dim] = [0, 1, 2, 3, 5, 8, "N", "M", "N*2", .value(1 << 40)]
        var names: [String] = []
        var inputs: [ValueInfo] = []
        for i in 0..<Int.random(in: 1...3, using: &g) {
            let rank = Int.random(in: 0...5, using: &g)
            let shape = Bool.random(using: &g) || rank == 5 ? (0..<rank).map { _ in dims.randomElement(using: &g)! } : nil
            inputs.append(ValueInfo(name: "in\(i)", type: TensorType(dtype: [.float32, .int64].randomElement(using: &g)!, shape: shape)))
            names.append("in\(i)")
        }
        var initializers: [String: Tensor] = [:]
        for i in 0..<Int.random(in: 0...4, using: &g) {
            initializers["k\(i)"] = smallTensor(&g)
            names.append("k\(i)")
        }
        var nodes: [Node] = []
        for n in 0..<Int.random(in: 1...14, using: &g) {
            var attributes: [String: Attribute] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &g) { attributes[attributeNames.randomElement(using: &g)!] = attribute(&g) }
            let inputNames = (0..<Int.random(in: 0...5, using: &g)).map { _ in
                Int.random(in: 0..<8, using: &g) == 0 ? (Bool.random(using: &g) ? "" : "n\(n + 1)_0") : names.randomElement(using: &g)!
            }
            let outputs = (0..<Int.random(in: 1...3, using: &g)).map { "n\(n)_\($0)" }
            nodes.append(Node(name: "n\(n)", opType: ops.randomElement(using: &g)!, inputs: inputNames, outputs: outputs, attributes: attributes))
            names += outputs
        }
        return Graph(name: "fuzz", nodes: nodes, inputs: inputs, initializers: initializers,
                     opsets: ["": [1, 7, 9, 10, 11, 13, 18].randomElement(using: &g)!])
    }

    @Test func randomGraphsNeverTrap() {
        var g = SplitMix(state: 2024)
        for _ in 0..<3000 {
            let graph = Self.randomGraph(&g)
            let result = ShapeInference.inferTypesAndValues(graph)
            for (name, type) in result.types where !graph.inputs.contains(where: { $0.name == name }) {
                let negative = type.shape?.contains { ($0.intValue ?? 0) < 0 } ?? false
                #expect(!negative, "negative dimension for \(name): \(type.shape ?? [])")
            }
            for (name, value) in result.values {
                #expect(Tensor.checkedElementCount(value.shape) == value.elements.count, "value of \(name)")
                #expect(value.elements.count <= ShapeInference.maxKnownElements)
            }
        }
    }
}

// The one switch from operator name to shape rule. Rules return one type per node output; missing
// entries are unknown types.

extension InferenceContext {
    /// Operators whose output has the input's shape and element type.
    static let sameTypeOps: Set<String> = [
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish",
        "Gelu", "Erf", "Softplus", "Softsign", "Mish", "ThresholdedRelu", "Shrink", "Sqrt", "Exp", "Log", "Abs",
        "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan",
        "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Clip", "Softmax", "LogSoftmax", "Hardmax", "LRN",
        "InstanceNormalization", "MeanVarianceNormalization", "LpNormalization", "BitwiseNot", "CumSum", "CumProd",
        "GroupNormalization", "RMSNormalization", "Swish", "Trilu", "ReverseSequence",
    ]

    /// Binary and variadic operators with NumPy broadcasting whose result has the first input's type.
    static let broadcastOps: Set<String> = [
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Sum", "Max", "Min", "Mean", "BitShift",
        "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    ]

    /// Broadcasting operators whose result is boolean.
    static let comparisonOps: Set<String> = [
        "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor",
    ]

    static let reduceOps: Set<String> = [
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    ]

    /// The output types of `node` under its operator's rule.
    mutating func outputTypes(_ node: Node) -> [TensorType] {
        let op = node.opType
        if Self.sameTypeOps.contains(op) { return [sameType(node)] }
        if Self.broadcastOps.contains(op) { return [broadcastOp(node)] }
        if Self.comparisonOps.contains(op) { return [comparisonOp(node)] }
        if Self.reduceOps.contains(op) { return [reduce(node)] }
        switch op {
        case "Identity": return identity(node)
        case "Not", "IsNaN", "IsInf": return [TensorType(dtype: .bool, shape: shape(node, 0))]
        case "Where": return [whereOp(node)]
        case "Cast", "CastLike": return [cast(node)]
        case "Dropout": return dropout(node)
        case "BatchNormalization": return batchNormalization(node)
        case "LayerNormalization": return layerNormalization(node)
        case "Conv", "ConvInteger": return [conv(node)]
        case "ConvTranspose": return [convTranspose(node)]
        case "MaxPool", "AveragePool", "LpPool": return pool(node)
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool": return [globalPool(node)]
        case "Gemm": return [gemm(node)]
        case "MatMul", "MatMulInteger": return [matMul(node)]
        case "ArgMax", "ArgMin": return [argReduce(node)]
        case "TopK": return topK(node)
        case "NonZero": return [TensorType(dtype: .int64, shape: shape(node, 0).map { [.value($0.count), fresh()] })]
        default: return shapeOpTypes(node)
        }
    }

    /// Rules for the operators that move or compute shapes (second half of the switch).
    mutating func shapeOpTypes(_ node: Node) -> [TensorType] {
        switch node.opType {
        case "Flatten": return [flatten(node)]
        case "Reshape": return [reshape(node)]
        case "Transpose": return [transpose(node)]
        case "Concat": return [concat(node)]
        case "Split": return split(node)
        case "Slice": return [slice(node)]
        case "Pad": return [pad(node)]
        case "Squeeze": return [squeeze(node)]
        case "Unsqueeze": return [unsqueeze(node)]
        case "Expand": return [expand(node)]
        case "Tile": return [tile(node)]
        case "Gather": return [gather(node)]
        case "GatherElements": return [TensorType(dtype: type(node, 0).dtype, shape: shape(node, 1))]
        case "Shape": return [shapeOp(node)]
        case "Size": return [sizeOp(node)]
        case "Constant": return [constant(node)]
        case "ConstantOfShape": return [constantOfShape(node)]
        case "Range": return [range(node)]
        case "Resize", "Upsample": return [resize(node)]
        case "DepthToSpace", "SpaceToDepth": return [depthSpace(node)]
        default: return []
        }
    }
}

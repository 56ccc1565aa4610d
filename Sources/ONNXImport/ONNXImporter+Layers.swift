import StrataCore

/// Groups an ONNX graph into layers: one per node, in topological order.
enum LayerBuilder {
    /// One `Layer` per node in execution order. `params` counts the elements of the floating-point
    /// weights a node reads — initializers, and values made by `Constant` / `ConstantOfShape` nodes from
    /// initializers (the ONNX "light" models store their weights that way) — each weight at its first
    /// consumer only, so shared weights count once. A cycle or an input nothing defines is an import
    /// error naming the node.
    static func layers(of graph: Graph, file: String) throws(ImportError) -> [Layer] {
        let order: [Int]
        do {
            order = try graph.topologicalOrder()
        } catch {
            throw .invalid(file: file, problem: error.description)
        }
        let types = ShapeInference.infer(graph)
        let weights = weightSizes(graph, order: order, types: types)
        var counted = Set<String>()
        return order.map { index in
            let node = graph.nodes[index]
            var params = 0
            var inputs: [String] = []
            for input in node.inputs where !input.isEmpty {
                if graph.initializers[input] == nil { inputs.append(input) }
                if let size = weights[input], counted.insert(input).inserted { params += size }
            }
            let rank = node.outputs.first.flatMap { types[$0]?.shape?.count }
            return Layer(name: node.name, op: node.opType, nodes: [index], inputs: inputs, outputs: node.outputs,
                         params: params, layout: layout(rank: rank), attributes: node.attributes)
        }
    }

    /// Element counts of the floating-point constant values nodes read as weights.
    private static func weightSizes(_ graph: Graph, order: [Int], types: [String: TensorType]) -> [String: Int] {
        var sizes: [String: Int] = [:]
        for (name, tensor) in graph.initializers where tensor.dtype.isFloatingPoint { sizes[name] = tensor.count }
        var constant = Set(graph.initializers.keys)
        for index in order {
            let node = graph.nodes[index]
            guard node.domain.isEmpty, node.opType == "Constant" || node.opType == "ConstantOfShape",
                  node.inputs.allSatisfy({ $0.isEmpty || constant.contains($0) }) else { continue }
            for output in node.outputs where !output.isEmpty {
                constant.insert(output)
                if let type = types[output], type.dtype?.isFloatingPoint ?? false,
                   let shape = type.concreteShape, let count = Tensor.checkedElementCount(shape) {
                    sizes[output] = count
                }
            }
        }
        return sizes
    }

    /// Tag for the ONNX layout of a value of the given rank: channels come first after the batch.
    static func layout(rank: Int?) -> String {
        switch rank {
        case 5?: "NCDHW"
        case 4?: "NCHW"
        case 3?: "NCW"
        case 2?: "NC"
        case 1?: "C"
        case 0?: "scalar"
        default: ""
        }
    }
}

import Foundation
import StrataCore

/// Turns a `GraphProto` into a `Graph`: nodes (with names), inputs that are not initializers,
/// outputs, `value_info` and initializers.
struct GraphBuilder {
    let file: String
    let decoder: TensorDecoder
    /// Lifted `raw_data` payloads by initializer index (see `LargePayloads`).
    let payloads: [Int: RawBytes]

    init(file: String, decoder: TensorDecoder, payloads: [Int: RawBytes] = [:]) {
        self.file = file
        self.decoder = decoder
        self.payloads = payloads
    }

    func graph(from proto: Onnx_GraphProto, opsets: [String: Int]) throws(ImportError) -> Graph {
        var initializers: [String: Tensor] = [:]
        for (index, tensorProto) in proto.initializer.enumerated() {
            guard !tensorProto.name.isEmpty else { throw .invalid(file: file, problem: "an initializer has no name") }
            initializers[tensorProto.name] = try decoder.tensor(from: tensorProto, payload: payloads[index])
        }
        for sparse in proto.sparseInitializer {
            throw .invalid(file: file, problem: "sparse initializer '\(sparse.values.name)' is not supported")
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(proto.node.count)
        for (index, nodeProto) in proto.node.enumerated() {
            nodes.append(try node(from: nodeProto, index: index))
        }
        // Before IR 4, weights were listed among the graph inputs too; they are not inputs a caller gives.
        let inputs = proto.input.filter { initializers[$0.name] == nil }.map(valueInfo(from:))
        var valueInfo: [String: ValueInfo] = [:]
        for info in proto.valueInfo where !info.name.isEmpty { valueInfo[info.name] = self.valueInfo(from: info) }
        return Graph(name: proto.name, nodes: nodes, inputs: inputs, outputs: proto.output.map(valueInfo(from:)),
                     initializers: initializers, valueInfo: valueInfo, opsets: opsets)
    }

    /// A node with its attributes; an unnamed node is called `<op>_<index>` (index in file order).
    func node(from proto: Onnx_NodeProto, index: Int) throws(ImportError) -> Node {
        guard !proto.opType.isEmpty else { throw .invalid(file: file, problem: "node \(index) has no operator type") }
        let name = proto.name.isEmpty ? "\(proto.opType)_\(index)" : proto.name
        var attributes: [String: Attribute] = [:]
        for attribute in proto.attribute {
            attributes[attribute.name] = try AttributeDecoder(file: file, node: name, decoder: decoder)
                .attribute(from: attribute)
        }
        let domain = proto.domain == "ai.onnx" ? "" : proto.domain
        return Node(name: name, opType: proto.opType, domain: domain, inputs: proto.input, outputs: proto.output,
                    attributes: attributes)
    }

    // MARK: - Types

    func valueInfo(from proto: Onnx_ValueInfoProto) -> ValueInfo {
        guard proto.hasType, case let .tensorType(tensorType)? = proto.type.value else {
            return ValueInfo(name: proto.name)
        }
        let dtype = TensorDecoder.dtype(forCode: Int(tensorType.elemType))
        guard tensorType.hasShape else { return ValueInfo(name: proto.name, type: TensorType(dtype: dtype)) }
        let shape = tensorType.shape.dim.map(dim(from:))
        return ValueInfo(name: proto.name, type: TensorType(dtype: dtype, shape: shape))
    }

    /// `dim_value` as a number, `dim_param` as its symbol, neither as the anonymous symbol `?` (an unknown
    /// size that equals no other dimension, as shape inference treats it).
    func dim(from proto: Onnx_TensorShapeProto.Dimension) -> Dim {
        switch proto.value {
        case let .dimValue(v)? where v >= 0: .value(Int(clamping: v))
        case let .dimParam(s)? where !s.isEmpty: .symbol(s)
        default: .symbol("?")
        }
    }
}

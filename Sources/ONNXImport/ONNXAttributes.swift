import Foundation
import StrataCore

/// Turns an `AttributeProto` into an `Attribute`. Graphs, sparse tensors and type protos are kept as
/// `.unsupported(kind:)`: the node imports, and the runtime refuses it if it needs them.
struct AttributeDecoder {
    let file: String
    let node: String
    let decoder: TensorDecoder

    func attribute(from proto: Onnx_AttributeProto) throws(ImportError) -> Attribute {
        switch kind(of: proto) {
        case .float: return .float(proto.f)
        case .int: return .int(Int(clamping: proto.i))
        case .string: return .string(String(decoding: proto.s, as: UTF8.self))
        case .tensor: return .tensor(try tensor(proto.t))
        case .floats: return .floats(proto.floats)
        case .ints: return .ints(proto.ints.map { Int(clamping: $0) })
        case .strings: return .strings(proto.strings.map { String(decoding: $0, as: UTF8.self) })
        case .graph, .graphs: return .unsupported(kind: "graph")
        case .sparseTensor, .sparseTensors: return .unsupported(kind: "sparse tensor")
        case .typeProto, .typeProtos: return .unsupported(kind: "type")
        case .tensors: return .unsupported(kind: "tensors")
        case .undefined:
            throw .invalid(file: file, problem: "node '\(node)': attribute '\(proto.name)' has no value")
        }
    }

    private func tensor(_ proto: Onnx_TensorProto) throws(ImportError) -> Tensor {
        do {
            return try decoder.tensor(from: proto)
        } catch let .invalid(file, problem) {
            throw .invalid(file: file, problem: "node '\(node)' attribute: \(problem)")
        }
    }

    /// The declared type, or for files that leave `type` unset (IR < 2), the field that holds a value.
    private func kind(of proto: Onnx_AttributeProto) -> Onnx_AttributeProto.AttributeType {
        if proto.hasType, proto.type != .undefined { return proto.type }
        if proto.hasF { return .float }
        if proto.hasI { return .int }
        if proto.hasS { return .string }
        if proto.hasT { return .tensor }
        if proto.hasG { return .graph }
        if !proto.floats.isEmpty { return .floats }
        if !proto.ints.isEmpty { return .ints }
        if !proto.strings.isEmpty { return .strings }
        if !proto.graphs.isEmpty { return .graphs }
        return .undefined
    }
}

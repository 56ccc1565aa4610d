import Foundation

/// Lifts large `raw_data` payloads of a model's initializers out of the protobuf before it is decoded,
/// so their bytes go from the file straight into each tensor's storage (one copy, not three: the file
/// buffer, the decoded message and the tensor).
///
/// Walks `ModelProto.graph` (7) → `GraphProto.initializer` (5) → `TensorProto.raw_data` (9) and rewrites
/// those messages without payloads of at least `threshold` bytes, remembering where each payload sits in
/// the file. Anything unexpected (groups, lengths past the end) returns nil and the caller decodes the
/// file as it is, which then reports the fault.
enum LargePayloads {
    static let threshold = 1 << 20

    struct Split {
        /// The model without the lifted payloads.
        var message: Data
        /// File byte range of each lifted `raw_data`, by index in `graph.initializer`.
        var payloads: [Int: Range<Int>]
    }

    static func split(_ bytes: UnsafeRawBufferPointer) -> Split? {
        var payloads: [Int: Range<Int>] = [:]
        var initializerIndex = 0
        let model = rewrite(bytes, 0..<bytes.count) { field, graphRange -> Action in
            guard field == 7 else { return .keep }
            let graph = rewrite(bytes, graphRange) { field, tensorRange -> Action in
                guard field == 5 else { return .keep }
                defer { initializerIndex += 1 }
                var lifted: [Range<Int>] = []
                let tensor = rewrite(bytes, tensorRange) { field, range -> Action in
                    guard field == 9 else { return .keep }
                    lifted.append(range)
                    return range.count >= threshold ? .drop : .keep
                }
                // A tensor with several raw_data fields (the last wins) is left to the decoder as it is.
                guard let tensor, lifted.count == 1, lifted[0].count >= threshold else { return .keep }
                payloads[initializerIndex] = lifted[0]
                return .replace(tensor)
            }
            return graph.map(Action.replace) ?? .abort
        }
        guard let model, !payloads.isEmpty else { return nil }
        return Split(message: model, payloads: payloads)
    }

    /// What to do with one length-delimited field.
    enum Action {
        case keep, drop, abort
        case replace(Data)
    }

    /// Copies the message in `range`, applying `action` to each length-delimited field.
    /// Returns nil on malformed input or when an action aborts.
    private static func rewrite(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>,
                                _ action: (Int, Range<Int>) -> Action) -> Data? {
        var out = Data()
        var i = range.lowerBound
        while i < range.upperBound {
            let start = i
            guard let key = varint(bytes, &i, limit: range.upperBound) else { return nil }
            switch key & 7 {
            case 0: guard varint(bytes, &i, limit: range.upperBound) != nil else { return nil }
            case 1: i += 8
            case 5: i += 4
            case 2:
                guard let length = varint(bytes, &i, limit: range.upperBound), length <= UInt64(range.upperBound - i) else {
                    return nil
                }
                let payload = i..<(i + Int(length))
                i = payload.upperBound
                switch action(Int(key >> 3), payload) {
                case .keep: break
                case .drop: continue
                case .abort: return nil
                case let .replace(data):
                    out.append(contentsOf: encodeVarint(key))
                    out.append(contentsOf: encodeVarint(UInt64(data.count)))
                    out.append(data)
                    continue
                }
            default: return nil
            }
            guard i <= range.upperBound else { return nil }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        }
        return out
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ i: inout Int, limit: Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while i < limit, shift < 64 {
            let byte = bytes[i]
            i += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    private static func encodeVarint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }
}

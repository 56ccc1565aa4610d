import Foundation
import StrataCore

/// Turns a `TensorProto` into a `Tensor`, from `raw_data`, a typed field (`float_data`, `int32_data`,
/// `int64_data`, `double_data`, `uint64_data`) or external data.
///
/// The element count from `dims` is checked against the bytes or values actually present before
/// anything is allocated, so a tensor whose dims lie cannot make the importer allocate more than the
/// file holds. float16 stays float16; bfloat16 becomes float32 (Strata has no bfloat16 type).
struct TensorDecoder {
    /// The file named in errors.
    let file: String
    /// Folder that external data paths are relative to (and must stay inside).
    let folder: URL

    /// Strata's element type for an ONNX `TensorProto.DataType` code; nil for types Strata does not hold
    /// (string, complex, 8-bit and 4-bit floats and ints). bfloat16 (16) maps to float32.
    static func dtype(forCode code: Int) -> DType? {
        switch code {
        case 1, 16: .float32
        case 2: .uint8
        case 3: .int8
        case 4: .uint16
        case 5: .int16
        case 6: .int32
        case 7: .int64
        case 9: .bool
        case 10: .float16
        case 11: .float64
        case 12: .uint32
        case 13: .uint64
        default: nil
        }
    }

    static let typeNames = [8: "string", 14: "complex64", 15: "complex128", 17: "float8e4m3fn", 18: "float8e4m3fnuz",
                            19: "float8e5m2", 20: "float8e5m2fnuz", 21: "uint4", 22: "int4", 23: "float4e2m1"]

    /// The tensor `proto` describes; `payload`, when given, is where its `raw_data` sits in `sourceFile`
    /// (lifted out before decoding, see `LargePayloads`).
    func tensor(from proto: Onnx_TensorProto, payload: RawBytes? = nil) throws(ImportError) -> Tensor {
        let name = proto.name.isEmpty ? "(unnamed)" : proto.name
        let code = Int(proto.dataType)
        guard let dtype = Self.dtype(forCode: code) else {
            let type = Self.typeNames[code].map { "\($0) (\(code))" } ?? "\(code)"
            throw fail("tensor '\(name)' has data type \(type), which Strata does not support")
        }
        let shape = proto.dims.map { Int(clamping: $0) }
        guard let count = Tensor.checkedElementCount(shape) else {
            throw fail("tensor '\(name)' has invalid dims \(proto.dims)")
        }
        let isBFloat16 = code == 16
        let sourceSize = isBFloat16 ? 2 : dtype.byteSize
        if proto.hasDataLocation, proto.dataLocation == .external {
            let external = ExternalData(file: file, folder: folder, tensor: name)
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: sourceSize)
            guard !overflow else { throw fail("tensor '\(name)' has invalid dims \(proto.dims)") }
            let bytes = try external.locate(entries: proto.externalData, byteCount: byteCount)
            return try fromRaw(bytes, dtype: dtype, shape: shape, count: count, bfloat16: isBFloat16, name: name)
        }
        if let payload {
            return try fromRaw(payload, dtype: dtype, shape: shape, count: count, bfloat16: isBFloat16, name: name)
        }
        if proto.hasRawData {
            return try fromRaw(.data(proto.rawData), dtype: dtype, shape: shape, count: count, bfloat16: isBFloat16, name: name)
        }
        return try fromTyped(proto, dtype: dtype, shape: shape, count: count, bfloat16: isBFloat16, name: name)
    }

    // MARK: - raw_data

    private func fromRaw(_ source: RawBytes, dtype: DType, shape: [Int], count: Int, bfloat16: Bool,
                         name: String) throws(ImportError) -> Tensor {
        let size = bfloat16 ? 2 : dtype.byteSize
        let (expected, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, source.count == expected else {
            throw fail("tensor '\(name)' has dims \(shape) (\(count) elements) but \(source.count) bytes of data")
        }
        var tensor = Tensor(dtype: dtype, shape: shape)
        if !bfloat16, case let .file(url, range) = source {
            let complete = tensor.withUnsafeMutableBytes { RawBytes.read(url, range, into: $0) }
            guard complete else { throw fail("tensor '\(name)': cannot read its \(range.count) bytes from '\(url.lastPathComponent)'") }
            return tensor
        }
        guard let raw = source.data() else {
            throw fail("tensor '\(name)': cannot read its \(source.count) bytes")
        }
        if bfloat16 {
            tensor.withMutableFloats { out in
                raw.withUnsafeBytes { src in
                    for i in 0..<count { out[i] = Self.float(bfloat16: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                }
            }
        } else {
            tensor.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { dst.copyMemory(from: $0) } }
        }
        return tensor
    }

    static func float(bfloat16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    // MARK: - Typed fields

    private func fromTyped(_ proto: Onnx_TensorProto, dtype: DType, shape: [Int], count: Int, bfloat16: Bool,
                           name: String) throws(ImportError) -> Tensor {
        let present = [proto.floatData.count, proto.int32Data.count, proto.int64Data.count,
                       proto.doubleData.count, proto.uint64Data.count].max() ?? 0
        func check(_ n: Int, _ field: String) throws(ImportError) {
            guard n == count else {
                if present == 0, count > 0 { throw fail("tensor '\(name)' has no data") }
                throw fail("tensor '\(name)' has dims \(shape) (\(count) elements) but \(n) values in \(field)")
            }
        }
        let int32s = proto.int32Data
        switch dtype {
        case .float32 where bfloat16:
            try check(int32s.count, "int32_data")
            return Tensor(shape: shape, floats: int32s.map { Self.float(bfloat16: UInt16(truncatingIfNeeded: $0)) })
        case .float32:
            try check(proto.floatData.count, "float_data")
            return Tensor(shape: shape, floats: proto.floatData)
        case .float64:
            try check(proto.doubleData.count, "double_data")
            return Tensor(shape: shape, scalars: proto.doubleData)
        case .int64:
            try check(proto.int64Data.count, "int64_data")
            return Tensor(shape: shape, scalars: proto.int64Data)
        case .uint64:
            try check(proto.uint64Data.count, "uint64_data")
            return Tensor(shape: shape, scalars: proto.uint64Data)
        case .uint32:
            try check(proto.uint64Data.count, "uint64_data")
            return Tensor(shape: shape, scalars: proto.uint64Data.map { UInt32(truncatingIfNeeded: $0) })
        default:
            try check(int32s.count, "int32_data")
            return Self.fromInt32Field(int32s, dtype: dtype, shape: shape)
        }
    }

    /// Types stored in `int32_data`: int32, int16, int8, uint16, uint8, bool, and float16 as its bits.
    private static func fromInt32Field(_ values: [Int32], dtype: DType, shape: [Int]) -> Tensor {
        switch dtype {
        case .int32: Tensor(shape: shape, scalars: values)
        case .int16: Tensor(shape: shape, scalars: values.map { Int16(truncatingIfNeeded: $0) })
        case .int8: Tensor(shape: shape, scalars: values.map { Int8(truncatingIfNeeded: $0) })
        case .uint16: Tensor(shape: shape, scalars: values.map { UInt16(truncatingIfNeeded: $0) })
        case .uint8: Tensor(shape: shape, scalars: values.map { UInt8(truncatingIfNeeded: $0) })
        case .bool: Tensor(shape: shape, scalars: values.map { $0 != 0 })
        case .float16: Tensor(shape: shape, scalars: values.map { Float16(bitPattern: UInt16(truncatingIfNeeded: $0)) })
        default: preconditionFailure("\(dtype) is not stored in int32_data")
        }
    }

    private func fail(_ problem: String) -> ImportError { .invalid(file: file, problem: problem) }
}

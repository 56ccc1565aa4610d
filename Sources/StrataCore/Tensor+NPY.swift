import Foundation

// NumPy's format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

extension Tensor {
    private static let npyMagic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Reads a `.npy` file (format 1.0, 2.0 or 3.0, little-endian, C order).
    public init(npyFile url: URL) throws(NPYError) {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        try self.init(npyData: data, fileName: url.path)
    }

    /// Parses `.npy` bytes; `fileName` names the source in errors.
    public init(npyData data: Data, fileName: String = "<npy>") throws(NPYError) {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 8, Array(bytes[0..<6]) == Tensor.npyMagic else { throw .notNPY(file: fileName) }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            guard bytes.count >= 10 else { throw .truncatedHeader(file: fileName) }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .truncatedHeader(file: fileName) }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw .unsupportedVersion(file: fileName, major: major, minor: minor)
        }
        guard data.count >= headerStart + headerLength else { throw .truncatedHeader(file: fileName) }
        let headerBytes = data.subdata(in: data.startIndex + headerStart..<data.startIndex + headerStart + headerLength)
        guard let header = String(data: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw .malformedHeader(file: fileName, detail: "not text")
        }
        let parsed = try NPYHeader(parsing: header, fileName: fileName)
        guard let dtype = parsed.dtype else { throw .unsupportedDType(file: fileName, descr: parsed.descr) }
        guard let n = Tensor.checkedElementCount(parsed.shape) else {
            throw .malformedHeader(file: fileName, detail: "shape \(parsed.shape) is too large")
        }
        let (needed, overflow) = n.multipliedReportingOverflow(by: dtype.byteSize)
        let available = data.count - headerStart - headerLength
        guard !overflow, needed <= available else {
            throw .truncatedData(file: fileName, expected: overflow ? Int.max : needed, available: available)
        }
        self.init(dtype: dtype, shape: parsed.shape)
        let offset = data.startIndex + headerStart + headerLength
        storage.bytes.withMemoryRebound(to: UInt8.self, capacity: needed) { dst in
            data.copyBytes(to: dst, from: offset..<offset + needed)
        }
    }

    /// The tensor as `.npy` bytes (format 1.0, or 2.0 when the header needs it).
    public func npyData() -> Data {
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype.npyDescr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Format 1.0 stores the padded header length in 16 bits; padding can push it past that.
        let paddedIn1 = header.utf8.count + 1 + (64 - (10 + header.utf8.count + 1) % 64) % 64
        let fits1 = paddedIn1 <= 65535
        let prefix = fits1 ? 10 : 12
        let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var out = Data(Tensor.npyMagic)
        let length = header.utf8.count
        if fits1 {
            out.append(contentsOf: [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)])
        } else {
            out.append(contentsOf: [2, 0, UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)])
        }
        out.append(contentsOf: Array(header.utf8))
        withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    /// Writes the tensor as a `.npy` file.
    public func writeNPY(to url: URL) throws(NPYError) {
        do { try npyData().write(to: url) } catch {
            throw .unwritable(file: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}

/// The Python-literal dictionary at the start of a `.npy` file.
struct NPYHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    var dtype: DType? {
        let normalized = descr.replacingOccurrences(of: "=", with: "<")
        if normalized.count >= 2, normalized.hasPrefix("|"), let t = DType.allCases.first(where: { $0.npyDescr.dropFirst() == normalized.dropFirst() }) {
            return t
        }
        return DType.allCases.first { $0.npyDescr == normalized }
    }

    init(parsing text: String, fileName: String) throws(NPYError) {
        var sawDescr = false, sawOrder = false, sawShape = false
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard s.hasPrefix("{"), s.hasSuffix("}") else { throw .malformedHeader(file: fileName, detail: "not a dictionary") }
        s = s.dropFirst().dropLast()
        while true {
            s = s.drop { $0 == " " || $0 == "," }
            if s.isEmpty { break }
            guard let key = Self.quoted(&s) else { throw .malformedHeader(file: fileName, detail: "expected a quoted key") }
            s = s.drop { $0 == " " }
            guard s.first == ":" else { throw .malformedHeader(file: fileName, detail: "expected ':' after '\(key)'") }
            s = s.dropFirst().drop { $0 == " " }
            switch key {
            case "descr":
                guard let value = Self.quoted(&s) else {
                    throw .unsupportedDType(file: fileName, descr: String(s.prefix { $0 != "," && $0 != "}" }))
                }
                descr = value
                sawDescr = true
            case "fortran_order":
                if s.hasPrefix("True") { fortranOrder = true; s = s.dropFirst(4) }
                else if s.hasPrefix("False") { fortranOrder = false; s = s.dropFirst(5) }
                else { throw .malformedHeader(file: fileName, detail: "fortran_order is not True or False") }
                sawOrder = true
            case "shape":
                guard s.first == "(", let close = s.firstIndex(of: ")") else {
                    throw .malformedHeader(file: fileName, detail: "shape is not a tuple")
                }
                let inner = s[s.index(after: s.startIndex)..<close]
                shape = []
                for part in inner.split(separator: ",") {
                    let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
                    if t.isEmpty { continue }
                    guard let d = Int(t), d >= 0 else { throw .malformedHeader(file: fileName, detail: "bad dimension '\(t)'") }
                    shape.append(d)
                }
                s = s[s.index(after: close)...]
                sawShape = true
            default:
                throw .malformedHeader(file: fileName, detail: "unknown key '\(key)'")
            }
        }
        guard sawDescr, sawOrder, sawShape else { throw .malformedHeader(file: fileName, detail: "missing descr, fortran_order or shape") }
        if fortranOrder, shape.count > 1 { throw .fortranOrder(file: fileName) }
        if descr.hasPrefix(">"), descr.count > 2 { throw .bigEndian(file: fileName, descr: descr) }
        if dtype == nil { throw .unsupportedDType(file: fileName, descr: descr) }
    }

    private static func quoted(_ s: inout Substring) -> String? {
        guard let q = s.first, q == "'" || q == "\"" else { return nil }
        let body = s.dropFirst()
        guard let end = body.firstIndex(of: q) else { return nil }
        let value = String(body[..<end])
        s = body[body.index(after: end)...]
        return value
    }
}

import Foundation
import StrataCore
import Testing

/// `.npy` reading and writing. Good and bad files are written here byte by byte.
struct NPYTests {
    /// A `.npy` file: magic, version, header length, the header padded to 64 bytes, then `payload`.
    static func npyFile(major: UInt8 = 1, header: String, payload: [UInt8] = [], pad: Bool = true) -> Data {
        let prefix = major == 1 ? 10 : 12
        var text = header
        if pad { text += String(repeating: " ", count: (64 - (prefix + text.utf8.count + 1) % 64) % 64) + "\n" }
        let n = text.utf8.count
        var out = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0])
        if major == 1 {
            out += [UInt8(n & 0xFF), UInt8(n >> 8)]
        } else {
            out += [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        }
        return out + Data(text.utf8) + payload
    }

    static func header(_ descr: String, _ shape: String, fortran: Bool = false) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    }

    /// A tensor of every supported type with values that survive the conversion.
    static func sample(_ dtype: DType) -> Tensor {
        Tensor(shape: [2, 3], scalars: [0.0, 1.0, 2.0, 3.0, 0.0, 5.0]).converted(to: dtype)
    }

    @Test(arguments: DType.allCases, [UInt8(1), UInt8(2)])
    func readsHandWrittenFiles(_ dtype: DType, major: UInt8) throws {
        let t = Self.sample(dtype)
        let bytes = t.withUnsafeBytes { Array($0) }
        let data = Self.npyFile(major: major, header: Self.header(dtype.npyDescr, "(2, 3)"), payload: bytes)
        let read = try Tensor(npyData: data, fileName: "t.npy")
        #expect(read == t)
    }

    @Test func readsScalarsVectorsAndEmptyArrays() throws {
        let scalar = try Tensor(npyData: Self.npyFile(header: Self.header("<f8", "()"), payload: Array(repeating: 0, count: 7) + [0x40]))
        #expect(scalar.shape == [] && scalar.doubles == [2])
        let vector = try Tensor(npyData: Self.npyFile(header: Self.header("<i8", "(1,)"), payload: [5, 0, 0, 0, 0, 0, 0, 0]))
        #expect(vector.shape == [1] && vector.int64s == [5])
        let empty = try Tensor(npyData: Self.npyFile(header: Self.header("<f4", "(0, 3)")))
        #expect(empty.shape == [0, 3] && empty.count == 0)
        let fortranVector = try Tensor(npyData: Self.npyFile(header: Self.header("<f4", "(1,)", fortran: true), payload: [0, 0, 0x80, 0x3F]))
        #expect(fortranVector.floats == [1])
    }

    @Test(arguments: DType.allCases)
    func writeThenRead(_ dtype: DType) throws {
        let t = Self.sample(dtype)
        let data = t.npyData()
        #expect(Array(data.prefix(8)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(data[10 + headerLength - 1] == 0x0A)
        #expect(try Tensor(npyData: data) == t)
    }

    @Test func writeToFileAndReadBack() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-npy-\(UInt64.random(in: 0...UInt64.max)).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        let t = Tensor(shape: [2, 2], floats: [1, -2, 3.5, 4])
        try t.writeNPY(to: url)
        #expect(try Tensor(npyFile: url) == t)
    }

    /// Near 64 KiB of header the writer must switch to format 2.0 whenever the padded header would not
    /// fit format 1.0's 16-bit length.
    @Test func writerSwitchesToFormat2ForLongHeaders() throws {
        for rank in 21_820...21_830 {  // 21_825...21_827 fit 16 bits only before padding
            let t = Tensor(dtype: .uint8, shape: Array(repeating: 1, count: rank))
            let data = t.npyData()
            let major = data[6]
            let (prefix, length) = major == 1
                ? (10, Int(data[8]) | Int(data[9]) << 8)
                : (12, Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24)
            #expect((prefix + length) % 64 == 0, "rank \(rank)")
            #expect(data.count == prefix + length + 1, "rank \(rank)")
            #expect(try Tensor(npyData: data).shape.count == rank)
        }
    }

    // MARK: - Bad files

    struct BadFile: CustomTestStringConvertible, Sendable {
        var name: String
        var data: Data
        var error: NPYError
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "Fortran order", data: npyFile(header: header("<f4", "(2, 3)", fortran: true), payload: Array(repeating: 0, count: 24)),
                error: .fortranOrder(file: "bad.npy")),
        BadFile(name: "big-endian", data: npyFile(header: header(">f4", "(2,)"), payload: Array(repeating: 0, count: 8)),
                error: .bigEndian(file: "bad.npy", descr: ">f4")),
        BadFile(name: "object dtype", data: npyFile(header: header("|O", "(2,)"), payload: Array(repeating: 0, count: 16)),
                error: .unsupportedDType(file: "bad.npy", descr: "|O")),
        BadFile(name: "unknown dtype", data: npyFile(header: header("<c8", "(2,)"), payload: Array(repeating: 0, count: 16)),
                error: .unsupportedDType(file: "bad.npy", descr: "<c8")),
        BadFile(name: "structured dtype", data: npyFile(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
                error: .unsupportedDType(file: "bad.npy", descr: "[('a'")),
        BadFile(name: "more data claimed than held", data: npyFile(header: header("<f4", "(1000,)"), payload: Array(repeating: 0, count: 8)),
                error: .truncatedData(file: "bad.npy", expected: 4000, available: 8)),
        BadFile(name: "size field overflows", data: npyFile(header: header("<f8", "(4611686018427387904, 4)")),
                error: .malformedHeader(file: "bad.npy", detail: "shape [4611686018427387904, 4] is too large")),
        BadFile(name: "truncated header", data: npyFile(header: header("<f4", "(2,)")).prefix(40),
                error: .truncatedHeader(file: "bad.npy")),
        BadFile(name: "cut inside the length field", data: Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0x76]),
                error: .truncatedHeader(file: "bad.npy")),
        BadFile(name: "not npy", data: Data("hello, world".utf8), error: .notNPY(file: "bad.npy")),
        BadFile(name: "empty", data: Data(), error: .notNPY(file: "bad.npy")),
        BadFile(name: "version 9", data: Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 9, 0, 0, 0]),
                error: .unsupportedVersion(file: "bad.npy", major: 9, minor: 0)),
        BadFile(name: "missing shape", data: npyFile(header: "{'descr': '<f4', 'fortran_order': False, }"),
                error: .malformedHeader(file: "bad.npy", detail: "missing descr, fortran_order or shape")),
        BadFile(name: "negative dimension", data: npyFile(header: header("<f4", "(-2,)")),
                error: .malformedHeader(file: "bad.npy", detail: "bad dimension '-2'")),
        BadFile(name: "not a dictionary", data: npyFile(header: "[1, 2]"),
                error: .malformedHeader(file: "bad.npy", detail: "not a dictionary")),
    ]

    @Test(arguments: badFiles)
    func badFileIsAnsweredWithItsError(_ bad: BadFile) {
        #expect(throws: bad.error) { try Tensor(npyData: bad.data, fileName: "bad.npy") }
    }

    @Test func messagesNameTheFileAndTheFault() {
        #expect(NPYError.fortranOrder(file: "x.npy").description == "x.npy: Fortran-order arrays are not supported; save with np.ascontiguousarray")
        #expect(NPYError.truncatedData(file: "x.npy", expected: 4000, available: 8).description
                == "x.npy: header claims 4000 bytes of data but the file holds 8")
        #expect(NPYError.unsupportedDType(file: "x.npy", descr: "|O").description == "x.npy: unsupported dtype '|O'")
    }

    @Test func missingFileIsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent/strata/missing.npy")
        #expect { try Tensor(npyFile: url) } throws: { error in
            guard case let .unreadable(file, _) = error as? NPYError else { return false }
            return file == url.path
        }
    }
}

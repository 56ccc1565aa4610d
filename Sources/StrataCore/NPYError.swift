/// Why a `.npy` file could not be read or written. `description` is the one-line message users see.
public enum NPYError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case notNPY(file: String)
    case unsupportedVersion(file: String, major: Int, minor: Int)
    case truncatedHeader(file: String)
    case malformedHeader(file: String, detail: String)
    case fortranOrder(file: String)
    case bigEndian(file: String, descr: String)
    case unsupportedDType(file: String, descr: String)
    case truncatedData(file: String, expected: Int, available: Int)
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .notNPY(file): "\(file): not a .npy file (missing the \\x93NUMPY magic)"
        case let .unsupportedVersion(file, major, minor): "\(file): .npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)"
        case let .truncatedHeader(file): "\(file): truncated .npy header"
        case let .malformedHeader(file, detail): "\(file): malformed .npy header: \(detail)"
        case let .fortranOrder(file): "\(file): Fortran-order arrays are not supported; save with np.ascontiguousarray"
        case let .bigEndian(file, descr): "\(file): big-endian dtype '\(descr)' is not supported; convert with arr.astype(arr.dtype.newbyteorder('<'))"
        case let .unsupportedDType(file, descr): "\(file): unsupported dtype '\(descr)'"
        case let .truncatedData(file, expected, available): "\(file): header claims \(expected) bytes of data but the file holds \(available)"
        case let .unwritable(file, reason): "\(file): cannot write: \(reason)"
        }
    }
}

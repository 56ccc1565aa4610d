import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a tensor's raw little-endian bytes are: in memory, or a byte range of a file (external data, or
/// a large `raw_data` payload lifted out of the model before decoding), read straight into the tensor.
enum RawBytes {
    case data(Data)
    case file(URL, Range<Int>)

    var count: Int {
        switch self {
        case let .data(d): d.count
        case let .file(_, range): range.count
        }
    }

    /// The bytes in memory (reads the file range), nil if the file cannot supply them.
    func data() -> Data? {
        switch self {
        case let .data(d): return d
        case let .file(url, range):
            var out = Data(count: range.count)
            let complete = out.withUnsafeMutableBytes { Self.read(url, range, into: $0) }
            return complete ? out : nil
        }
    }

    /// Reads `range` of the file into `buffer` (which holds at least `range.count` bytes).
    static func read(_ url: URL, _ range: Range<Int>, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard buffer.count >= range.count else { return false }
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var done = 0
        while done < range.count {
            let n = pread(fd, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}

import CHDF5
import Foundation
import StrataCore

/// A read-only HDF5 file through libhdf5's C API, with just what Keras files need: groups, string
/// attributes and float datasets.
///
/// libhdf5 (the serial build Debian ships) is not thread-safe: every call goes through `HDF5File.lock`.
/// Objects are addressed by absolute path (`/model_weights/conv1`); each call opens and closes what it
/// touches, so no handle outlives the call. Failures become `ImportError.invalid` naming `displayName`.
final class HDF5File: @unchecked Sendable {
    /// Serializes every libhdf5 call in the process.
    static let lock = NSLock()
    private static let initialized: Bool = { H5open() >= 0 }()

    /// Runs `body` holding the lock, with libhdf5's own error printing off: errors are reported as
    /// ImportError. The setting is per thread in thread-safe builds of libhdf5, hence on every call.
    static func locked<T>(_ body: () -> T) -> T {
        lock.withLock {
            _ = initialized
            _ = H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
            return body()
        }
    }

    /// Name used in error messages.
    let displayName: String
    private var id: hid_t
    /// The bytes of an in-memory file, which libhdf5 reads in place until `close()`.
    private var image: FileImage?

    /// Opens `path` read-only.
    init(path: String, displayName: String) throws(ImportError) {
        self.displayName = displayName
        let fid: hid_t = HDF5File.locked {
            return H5Fopen(path, strata_h5f_acc_rdonly(), strata_h5p_default())
        }
        guard fid >= 0 else { throw .invalid(file: displayName, problem: "not a readable HDF5 file (truncated or corrupt)") }
        id = fid
    }

    /// Opens an HDF5 file image held in memory (libhdf5's core driver, reading `image` in place: no copy,
    /// nothing touches the disk). The file keeps `image` alive.
    init(image: FileImage, displayName: String) throws(ImportError) {
        self.displayName = displayName
        self.image = image
        let fid: hid_t = HDF5File.locked {
            let fapl = H5Pcreate(strata_h5p_file_access())
            guard fapl >= 0 else { return -1 }
            defer { H5Pclose(fapl) }
            guard H5Pset_fapl_core(fapl, 1 << 20, false) >= 0 else { return -1 }
            guard strata_h5p_set_shared_file_image(fapl, image.bytes, image.count) >= 0 else { return -1 }
            return H5Fopen(displayName, strata_h5f_acc_rdonly(), fapl)
        }
        guard fid >= 0 else { throw .invalid(file: displayName, problem: "not a readable HDF5 file (truncated or corrupt)") }
        id = fid
    }

    deinit { close() }

    /// Closes the file; later calls fail.
    func close() {
        guard id >= 0 else { return }
        HDF5File.locked { _ = H5Fclose(id) }
        id = -1
        image = nil
    }

    /// A growable byte buffer at a stable address once filled, for `init(image:)`.
    final class FileImage {
        private(set) var bytes: UnsafeMutableRawPointer
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 4096)
            bytes = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
        }

        deinit { bytes.deallocate() }

        func append(_ chunk: UnsafeRawBufferPointer) {
            if count + chunk.count > capacity {
                capacity = max(capacity * 2, count + chunk.count)
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
                grown.copyMemory(from: bytes, byteCount: count)
                bytes.deallocate()
                bytes = grown
            }
            if let base = chunk.baseAddress { (bytes + count).copyMemory(from: base, byteCount: chunk.count) }
            count += chunk.count
        }
    }

    func fail(_ problem: String) -> ImportError { .invalid(file: displayName, problem: problem) }

    // MARK: - Structure

    /// Whether an object (group or dataset) exists at `path`, checking each link along the way.
    func exists(_ path: String) -> Bool {
        HDF5File.locked { existsLocked(path) }
    }

    private func existsLocked(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            guard H5Lexists(id, prefix, strata_h5p_default()) > 0 else { return false }
        }
        return true
    }

    private func objectType(_ path: String) -> H5I_type_t? {
        guard existsLocked(path) else { return nil }
        let obj = H5Oopen(id, path, strata_h5p_default())
        guard obj >= 0 else { return nil }
        defer { H5Oclose(obj) }
        return H5Iget_type(obj)
    }

    /// Names of the links in the group at `path`, in name order; empty when it is not a group.
    func children(of path: String) -> [String] {
        HDF5File.locked {
            guard objectType(path) == H5I_GROUP else { return [] }
            let group = H5Gopen2(id, path, strata_h5p_default())
            guard group >= 0 else { return [] }
            defer { H5Gclose(group) }
            var info = H5G_info_t()
            guard H5Gget_info(group, &info) >= 0 else { return [] }
            var names: [String] = []
            for i in 0..<info.nlinks {
                let size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, strata_h5p_default())
                guard size >= 0, size < 65536 else { continue }
                var buffer = [CChar](repeating: 0, count: Int(size) + 1)
                _ = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, Int(size) + 1, strata_h5p_default())
                names.append(String(cString: buffer))
            }
            return names
        }
    }

    // MARK: - Attributes

    /// A string attribute (scalar, or the first element of an array), or `nil` when absent.
    func stringAttribute(_ name: String, of path: String) throws(ImportError) -> String? {
        try stringsAttribute(name, of: path)?.first
    }

    /// A string or string-array attribute (fixed or variable length), or `nil` when absent. An empty
    /// non-string array (h5py writes `[]` as float64) reads as `[]`.
    func stringsAttribute(_ name: String, of path: String) throws(ImportError) -> [String]? {
        let result: Result<[String]?, ImportError> = HDF5File.locked {
            guard existsLocked(path) else { return .success(nil) }
            let obj = H5Oopen(id, path, strata_h5p_default())
            guard obj >= 0 else { return .failure(fail("cannot open '\(path)'")) }
            defer { H5Oclose(obj) }
            guard H5Aexists(obj, name) > 0 else { return .success(nil) }
            let attr = H5Aopen(obj, name, strata_h5p_default())
            guard attr >= 0 else { return .failure(fail("cannot read attribute '\(name)' of '\(path)'")) }
            defer { H5Aclose(attr) }
            if let strings = readStrings(attr) { return .success(strings) }
            return .failure(fail("attribute '\(name)' of '\(path)' is not a string"))
        }
        return try result.get()
    }

    private func readStrings(_ attr: hid_t) -> [String]? {
        let type = H5Aget_type(attr)
        let space = H5Aget_space(attr)
        defer { H5Tclose(type); H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard count >= 0, count <= 1 << 20 else { return nil }
        guard H5Tget_class(type) == H5T_STRING else { return count == 0 ? [] : nil }
        if count == 0 { return [] }
        let memType = H5Tcopy(strata_h5t_c_s1())
        defer { H5Tclose(memType) }
        if H5Tis_variable_str(type) > 0 {
            H5Tset_size(memType, strata_h5t_variable())
            H5Tset_cset(memType, H5Tget_cset(type))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attr, memType, &pointers) >= 0 else { return nil }
            defer { pointers.forEach { free($0) } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(type)
        // Fixed-length strings are stored in the file: they cannot be larger than it.
        var fileSize: hsize_t = 0
        _ = H5Fget_filesize(id, &fileSize)
        let total = size.multipliedReportingOverflow(by: count)
        guard size > 0, !total.overflow, total.partialValue <= Int(clamping: fileSize) else { return nil }
        H5Tset_size(memType, size)
        var bytes = [UInt8](repeating: 0, count: size * count)
        guard H5Aread(attr, memType, &bytes) >= 0 else { return nil }
        return (0..<count).map { i in
            let slice = bytes[(i * size)..<((i + 1) * size)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
        }
    }

    // MARK: - Datasets

    /// The dataset at `path` as a float32 tensor (libhdf5 converts other numeric types while reading),
    /// straight into the tensor's storage.
    func floatDataset(_ path: String) throws(ImportError) -> Tensor {
        let result: Result<Tensor, ImportError> = HDF5File.locked {
            guard objectType(path) == H5I_DATASET else { return .failure(fail("missing weight '\(path)'")) }
            let dataset = H5Dopen2(id, path, strata_h5p_default())
            guard dataset >= 0 else { return .failure(fail("cannot open weight '\(path)'")) }
            defer { H5Dclose(dataset) }
            return readFloats(dataset, path: path)
        }
        return try result.get()
    }

    private func readFloats(_ dataset: hid_t, path: String) -> Result<Tensor, ImportError> {
        let type = H5Dget_type(dataset)
        let space = H5Dget_space(dataset)
        defer { H5Tclose(type); H5Sclose(space) }
        let typeClass = H5Tget_class(type)
        guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
            return .failure(fail("weight '\(path)' is not numeric"))
        }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0, rank <= 8 else { return .failure(fail("weight '\(path)' has rank \(rank)")) }
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        _ = H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = dims.prefix(rank).map { Int(clamping: $0) }
        guard let count = Tensor.checkedElementCount(shape) else { return .failure(fail("weight '\(path)' is too large")) }
        // A size field is not trusted: the file must hold the bytes it declares (Keras never compresses).
        let stored = Int(clamping: H5Dget_storage_size(dataset))
        let declared = count.multipliedReportingOverflow(by: H5Tget_size(type))
        guard !declared.overflow, declared.partialValue <= stored || (isFiltered(dataset) && count <= 1 << 30) else {
            return .failure(fail("weight '\(path)' declares \(shape) but the file holds \(stored) bytes (truncated?)"))
        }
        var tensor = Tensor(dtype: .float32, shape: shape)
        if count == 0 { return .success(tensor) }
        let status = tensor.withUnsafeMutableBytes { raw in
            H5Dread(dataset, strata_h5t_native_float(), strata_h5s_all(), strata_h5s_all(), strata_h5p_default(),
                    raw.baseAddress)
        }
        guard status >= 0 else { return .failure(fail("cannot read weight '\(path)' (truncated file?)")) }
        return .success(tensor)
    }

    private func isFiltered(_ dataset: hid_t) -> Bool {
        let plist = H5Dget_create_plist(dataset)
        guard plist >= 0 else { return false }
        defer { H5Pclose(plist) }
        return H5Pget_nfilters(plist) > 0
    }
}

extension HDF5File.FileImage {
    /// A copy of the bytes.
    var data: Data { Data(bytes: bytes, count: count) }
}

import StrataCore

/// Shape kernels.
enum ShapeKernels {
    static let all: [String: Kernel] = [:]
}

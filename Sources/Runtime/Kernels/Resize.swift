import StrataCore

/// Resize kernels.
enum ResizeKernels {
    static let all: [String: Kernel] = [:]
}

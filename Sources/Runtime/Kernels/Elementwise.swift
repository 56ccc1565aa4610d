import StrataCore

/// Elementwise kernels.
enum ElementwiseKernels {
    static let all: [String: Kernel] = [:]
}

import StrataCore

/// Reduce kernels.
enum ReduceKernels {
    static let all: [String: Kernel] = [:]
}

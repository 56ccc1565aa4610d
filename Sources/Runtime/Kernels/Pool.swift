import StrataCore

/// Pool kernels.
enum PoolKernels {
    static let all: [String: Kernel] = [:]
}

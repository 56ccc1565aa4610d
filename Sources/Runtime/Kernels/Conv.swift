import StrataCore

/// Conv kernels.
enum ConvKernels {
    static let all: [String: Kernel] = [:]
}

import StrataCore

/// Normalization kernels.
enum NormalizationKernels {
    static let all: [String: Kernel] = [:]
}

import StrataCore

/// Gemm kernels.
enum GemmKernels {
    static let all: [String: Kernel] = [:]
}

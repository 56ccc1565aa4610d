import StrataCore

/// Softmax kernels.
enum SoftmaxKernels {
    static let all: [String: Kernel] = [:]
}

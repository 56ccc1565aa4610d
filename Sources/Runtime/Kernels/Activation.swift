import StrataCore

/// Activation kernels.
enum ActivationKernels {
    static let all: [String: Kernel] = [:]
}

import StrataCore

/// Evaluates one node. `inputs` has one entry per `node.inputs`, `nil` for an omitted optional input;
/// the result has one tensor per `node.outputs` (an omitted optional output may get any tensor).
/// Kernels throw `RuntimeError.invalidInput` for shapes or attributes they cannot handle.
public typealias Kernel = @Sendable (_ node: Node, _ inputs: [Tensor?], _ context: KernelContext) throws -> [Tensor]

/// What a kernel may need besides its node and inputs.
public struct KernelContext: Sendable {
    /// Opset version of the node's domain, to pick between versions of an operator's semantics.
    public var opset: Int

    public init(opset: Int) { self.opset = opset }
}

/// Every kernel by ONNX operator name (default domain), merged from the kernel families.
public enum KernelRegistry {
    /// All kernels; each family file owns its own dictionary.
    public static let kernels: [String: Kernel] = {
        var all: [String: Kernel] = [:]
        let families: [[String: Kernel]] = [
            ElementwiseKernels.all, ActivationKernels.all, ShapeKernels.all, ReduceKernels.all, SoftmaxKernels.all,
            MathKernels.all, LogicKernels.all, MovementKernels.all, IndexingKernels.all,
            ConvKernels.all, PoolKernels.all, GemmKernels.all, NormalizationKernels.all, ResizeKernels.all,
        ]
        for family in families {
            all.merge(family) { first, _ in first }
        }
        return all
    }()

    /// The kernel for a node, if Strata can run it.
    public static func kernel(for node: Node) -> Kernel? {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else { return nil }
        return kernels[node.opType]
    }

    /// Whether Strata can run this node (used to mark unsupported nodes in `inspect` and the viewer).
    public static func supports(_ node: Node) -> Bool { kernel(for: node) != nil }
}

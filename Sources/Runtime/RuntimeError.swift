import StrataCore

/// Why a run failed. `description` is the one-line message users see.
public enum RuntimeError: Error, CustomStringConvertible, Equatable {
    /// The node's operator has no kernel (exit status 3; what was computed before it is kept).
    case unsupportedOperator(node: String, op: String)
    /// A kernel was given inputs it cannot work with.
    case invalidInput(node: String, op: String, problem: String)
    /// An input the graph needs was not given, or does not fit the graph input.
    case badModelInput(name: String, problem: String)
    /// The run was cancelled by the caller.
    case cancelled

    public var description: String {
        switch self {
        case let .unsupportedOperator(node, op): "node '\(node)' (op \(op)): not supported"
        case let .invalidInput(node, op, problem): "node '\(node)' (op \(op)): \(problem)"
        case let .badModelInput(name, problem): "input '\(name)': \(problem)"
        case .cancelled: "the run was cancelled"
        }
    }
}

/// A structural problem of a graph found after import. `description` is the one-line message.
public enum GraphError: Error, CustomStringConvertible, Equatable {
    /// The node named is on a cycle.
    case cycle(node: String)
    /// A node reads a value nothing produces.
    case undefinedValue(node: String, value: String)
    /// Two nodes write the same value.
    case duplicateOutput(value: String)

    public var description: String {
        switch self {
        case let .cycle(node): "the graph has a cycle through node '\(node)'"
        case let .undefinedValue(node, value): "node '\(node)' reads '\(value)', which no node, input or initializer defines"
        case let .duplicateOutput(value): "value '\(value)' is produced by more than one node"
        }
    }
}

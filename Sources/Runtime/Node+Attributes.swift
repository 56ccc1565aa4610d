import StrataCore

/// Typed reads of ONNX attributes with the spec's defaults.
extension Node {
    /// An `int` attribute, or `defaultValue` when absent.
    public func int(_ name: String, default defaultValue: Int) -> Int {
        if case let .int(v) = attributes[name] { return v }
        return defaultValue
    }

    /// A `float` attribute, or `defaultValue` when absent.
    public func float(_ name: String, default defaultValue: Float) -> Float {
        switch attributes[name] {
        case let .float(v): return v
        case let .int(v): return Float(v)
        default: return defaultValue
        }
    }

    /// A `string` attribute, or `defaultValue` when absent.
    public func string(_ name: String, default defaultValue: String) -> String {
        if case let .string(v) = attributes[name] { return v }
        return defaultValue
    }

    /// An `ints` attribute, or `nil` when absent.
    public func ints(_ name: String) -> [Int]? {
        switch attributes[name] {
        case let .ints(v): return v
        case let .int(v): return [v]
        default: return nil
        }
    }

    /// A `floats` attribute, or `nil` when absent.
    public func floats(_ name: String) -> [Float]? {
        if case let .floats(v) = attributes[name] { return v }
        return nil
    }

    /// A `tensor` attribute, or `nil` when absent.
    public func tensor(_ name: String) -> Tensor? {
        if case let .tensor(v) = attributes[name] { return v }
        return nil
    }

    /// A `RuntimeError.invalidInput` for this node.
    public func invalid(_ problem: String) -> RuntimeError {
        .invalidInput(node: name, op: opType, problem: problem)
    }
}

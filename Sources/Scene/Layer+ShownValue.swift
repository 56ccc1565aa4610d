import StrataCore

extension Layer {
    /// The value a layer's block and feature maps show: the output named after the layer (a Keras layer's
    /// value), else its first output.
    public var shownValue: String? { outputs.first { $0 == name } ?? outputs.first }
}

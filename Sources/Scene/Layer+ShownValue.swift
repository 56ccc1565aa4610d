import StrataCore

extension Layer {
    /// The value a layer's block and feature maps show: the output named after the layer (a Keras layer's
    /// value), else its first output.
    public var shownValue: String? { outputs.first { $0 == name } ?? outputs.first }
}

extension TensorType {
    /// The shape to draw: known dimensions as they are, a symbolic one (a batch `N`) as 1; nil for an
    /// unknown rank.
    public var displayShape: [Int]? { shape?.map { $0.intValue ?? 1 } }
}

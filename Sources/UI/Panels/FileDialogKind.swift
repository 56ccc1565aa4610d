import Foundation

/// What a file dialog chooses: a model to open, or an input (image or `.npy`) to run the open model on.
/// Both the in-app dialog and the system dialog use its title and filter.
public enum FileDialogKind: Sendable, Equatable {
    case models
    case inputs

    /// The dialog's title.
    public var title: String {
        switch self {
        case .models: "Open model"
        case .inputs: "Choose input image or .npy"
        }
    }

    /// The file extensions shown by default (lower case, without the dot).
    public var extensions: [String] {
        switch self {
        case .models: ["onnx", "h5", "keras", "strata"]
        case .inputs: ["png", "npy"]
        }
    }

    /// The filter's name, e.g. in a system dialog's filter menu.
    public var filterName: String {
        switch self {
        case .models: "Models"
        case .inputs: "Images and arrays"
        }
    }

    /// The glob patterns of `extensions`: `*.onnx *.h5 …`.
    public var patterns: String { extensions.map { "*.\($0)" }.joined(separator: " ") }

    /// The in-app browser's filter for this kind.
    public var browserFilter: FileBrowser.Filter {
        switch self {
        case .models: .models
        case .inputs: .inputs
        }
    }
}

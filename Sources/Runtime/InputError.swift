import StrataCore

/// Why an input given on the command line (or in the viewer) cannot feed a model. `description` is the
/// one-line message users see; every case is bad input (exit status 2).
public enum InputError: Error, CustomStringConvertible, Equatable {
    case unknownInput(name: String, inputs: [String])
    case needsName(inputs: [String])
    case missing(name: String, type: String)
    case duplicate(name: String)
    case noSuchFile(file: String)
    case unknownKind(file: String)
    case npy(NPYError)
    case dtypeMismatch(file: String, dtype: DType, input: String, expected: DType)
    case shapeMismatch(file: String, shape: [Int], input: String, type: String)
    case png(file: String, problem: String)
    case notAnImage(file: String, input: String, type: String)
    case unknownDimension(input: String, type: String)
    case badOption(option: String, problem: String)

    public var description: String {
        switch self {
        case let .unknownInput(name, inputs): "the model has no input '\(name)' (its inputs: \(inputs.joined(separator: ", ")))"
        case let .needsName(inputs): "the model has \(inputs.count) inputs (\(inputs.joined(separator: ", "))): give each as --input NAME=PATH"
        case let .missing(name, type): "no --input for model input '\(name)' \(type) (give a .npy, a PNG, 'random' or 'zeros')"
        case let .duplicate(name): "input '\(name)' is given twice"
        case let .noSuchFile(file): "\(file): no such file"
        case let .unknownKind(file): "\(file): not a .npy or .png file (or the words 'random' / 'zeros')"
        case let .npy(error): error.description
        case let .dtypeMismatch(file, dtype, input, expected): "\(file): dtype \(dtype) does not fit input '\(input)' (\(expected))"
        case let .shapeMismatch(file, shape, input, type): "\(file): shape \(shape) does not fit input '\(input)' \(type)"
        case let .png(file, problem): "\(file): cannot read PNG: \(problem)"
        case let .notAnImage(file, input, type): "\(file): input '\(input)' \(type) is not an image input (1 or 3 channels, NCHW or NHWC)"
        case let .unknownDimension(input, type): "input '\(input)' \(type) has a dimension only a .npy can give"
        case let .badOption(option, problem): "\(option): \(problem)"
        }
    }
}

extension TensorType {
    /// `[N, 3, 224, 224]`, with `?` for an unknown rank.
    var shapeDescription: String {
        guard let shape else { return "[?]" }
        return "[\(shape.map(\.description).joined(separator: ", "))]"
    }
}

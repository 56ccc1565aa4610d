import Foundation
import StrataCore

/// One `--input` argument: `PATH` or `NAME=PATH`, where PATH is a `.npy`, a `.png`, or the words
/// `random` / `zeros`.
public struct InputSpec: Sendable, Equatable {
    /// Where the tensor comes from.
    public enum Source: Sendable, Equatable {
        case file(String)
        /// Uniform [0, 1), from a fixed seed so runs repeat.
        case random
        case zeros
    }

    /// The graph input it feeds; nil for a bare PATH (allowed when the model has one input).
    public var name: String?
    public var source: Source

    public init(name: String?, source: Source) {
        self.name = name
        self.source = source
    }

    /// Parses `PATH` or `NAME=PATH`. A `=` inside a path (after a `/`) is part of the path.
    public init(parsing text: String) {
        var name: String?, rest = text
        if let eq = text.firstIndex(of: "="), !text[..<eq].contains("/"), eq != text.startIndex {
            name = String(text[..<eq])
            rest = String(text[text.index(after: eq)...])
        }
        self.name = name
        switch rest.lowercased() {
        case "random": source = .random
        case "zeros": source = .zeros
        default: source = .file(rest)
        }
    }
}

/// Turns `--input` arguments into the tensors a model's graph inputs need.
public enum InputLoader {
    /// One tensor per graph input that is not an initializer. A bare PATH feeds the only input.
    public static func tensors(for graph: Graph, specs: [InputSpec], options: PreprocessOptions = PreprocessOptions())
        throws -> [String: Tensor] {
        let feeds = graph.inputs.filter { graph.initializers[$0.name] == nil }
        let names = feeds.map(\.name)
        var chosen: [String: InputSpec.Source] = [:]
        for spec in specs {
            let name: String
            if let given = spec.name {
                guard names.contains(given) else { throw InputError.unknownInput(name: given, inputs: names) }
                name = given
            } else {
                guard feeds.count == 1 else { throw InputError.needsName(inputs: names) }
                name = names[0]
            }
            guard chosen.updateValue(spec.source, forKey: name) == nil else { throw InputError.duplicate(name: name) }
        }
        var result: [String: Tensor] = [:]
        for input in feeds {
            guard let source = chosen[input.name] else {
                throw InputError.missing(name: input.name, type: input.type.shapeDescription)
            }
            result[input.name] = try load(source, for: input, options: options)
        }
        return result
    }

    /// The tensor `source` gives for `input`; a symbolic batch dimension becomes 1.
    public static func load(_ source: InputSpec.Source, for input: ValueInfo,
                            options: PreprocessOptions = PreprocessOptions()) throws -> Tensor {
        let dtype = input.type.dtype ?? .float32
        switch source {
        case .zeros:
            return Tensor(dtype: dtype, shape: try concreteShape(input))
        case .random:
            let shape = try concreteShape(input)
            var rng = SplitMix64(seed: options.seed)
            let values = (0..<Tensor.checkedElementCount(shape)!).map { _ in rng.nextUnitFloat() }
            return Tensor(shape: shape, floats: values).converted(to: dtype)
        case let .file(path):
            guard FileManager.default.fileExists(atPath: path) else { throw InputError.noSuchFile(file: path) }
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "npy": return try loadNPY(path, for: input)
            case "png": return try ImageInput.tensor(fromPNG: path, for: input, options: options)
            default: throw InputError.unknownKind(file: path)
            }
        }
    }

    /// The input's shape with a symbolic batch (first) dimension set to 1.
    static func concreteShape(_ input: ValueInfo) throws -> [Int] {
        guard let dims = input.type.shape else { throw InputError.unknownDimension(input: input.name, type: "[?]") }
        let shape = try dims.enumerated().map { i, d in
            if let v = d.intValue { return v }
            guard i == 0 else { throw InputError.unknownDimension(input: input.name, type: input.type.shapeDescription) }
            return 1
        }
        guard let n = Tensor.checkedElementCount(shape), n <= ShapeArgs.maxElements else {
            throw InputError.unknownDimension(input: input.name, type: input.type.shapeDescription)
        }
        return shape
    }

    /// A `.npy` whose dtype and shape fit the input; a missing batch dimension is added.
    static func loadNPY(_ path: String, for input: ValueInfo) throws -> Tensor {
        let file = path
        var t: Tensor
        do { t = try Tensor(npyFile: URL(fileURLWithPath: path)) } catch { throw InputError.npy(error) }
        if let expected = input.type.dtype, expected != t.dtype {
            throw InputError.dtypeMismatch(file: file, dtype: t.dtype, input: input.name, expected: expected)
        }
        guard let dims = input.type.shape else { return t }
        if t.rank == dims.count - 1, dims.first.map({ $0.intValue == nil || $0.intValue == 1 }) == true {
            t = t.reshaped([1] + t.shape)
        }
        let fits = t.rank == dims.count && zip(dims, t.shape).allSatisfy { d, n in d.intValue.map { $0 == n } ?? true }
        guard fits else {
            throw InputError.shapeMismatch(file: file, shape: t.shape, input: input.name, type: input.type.shapeDescription)
        }
        return t
    }
}

/// A small, fast, seedable generator (SplitMix64) so `random` inputs repeat across runs and machines.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits.
    mutating func nextUnitFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}

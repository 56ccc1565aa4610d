import ArgumentParser
import Foundation
import ModelLoading
import Runtime
import Viewer

/// `strata [view] [MODEL] [--input INPUT]...`: opens the 3D viewer. With no model, the bundled digits CNN
/// on a sample digit, its first convolution open.
struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Open the 3D viewer (the default command).")

    @Argument(help: "Model file (.onnx, .h5, .keras); default: the bundled digits CNN.") var model: String?
    @Option(name: .customLong("input"), help: "Input: PATH or NAME=PATH (.npy, .png, 'random', 'zeros'); repeatable.")
    var inputs: [String] = []
    @Option(name: .customLong("expand"), help: "Open this layer's feature maps (repeatable).") var expand: [String] = []

    func run() throws {
        try withFailureReporting {
            var path = model
            var specs = inputs.map(InputSpec.init(parsing:))
            var openFirstConvolution = false
            if path == nil {
                guard let bundled = AssetLocator.defaultModel() else {
                    throw ValidationError("no model given and the bundled digits model was not found (set STRATA_ASSETS to the Assets folder)")
                }
                path = bundled.model.path
                if specs.isEmpty { specs = [InputSpec(name: nil, source: .file(bundled.sample.path))] }
                openFirstConvolution = true
            }
            guard let path else { return }
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(path): no such file")
            }
            let app = try ViewerApp(title: "\(URL(fileURLWithPath: path).lastPathComponent) — Strata")
            app.open(path: path, inputs: specs, expand: Set(expand), openFirstConvolution: openFirstConvolution)
            try app.run()
        }
    }
}

import ArgumentParser
import Foundation
import StrataCore

/// The `strata` command: opens the viewer by default; `inspect`, `run`, `scene`, `render`, `bench` work
/// without a window.
@main
struct Strata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "See what a neural network does, in 3D: open an ONNX or Keras model, run it, look inside.",
        version: StrataVersion.current,
        subcommands: [View.self, Inspect.self, Run.self, SceneCommand.self, Render.self, Bench.self, SnapshotCommand.self],
        defaultSubcommand: View.self
    )
}

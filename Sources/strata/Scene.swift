import ArgumentParser
import Foundation

/// `strata scene` (see DESIGN.md).
struct SceneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scene", abstract: "Not available yet.")

    @Argument(help: "Model file.") var model: String?

    func run() throws {
        throw reportFailure(ValidationError("'scene' is not available yet"))
    }
}

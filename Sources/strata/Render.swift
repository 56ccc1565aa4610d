import ArgumentParser
import Foundation

/// `strata render` (see DESIGN.md).
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Not available yet.")

    @Argument(help: "Model file.") var model: String?

    func run() throws {
        throw reportFailure(ValidationError("'render' is not available yet"))
    }
}

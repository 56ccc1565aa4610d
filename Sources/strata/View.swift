import ArgumentParser
import Foundation

/// `strata view` (see DESIGN.md).
struct View: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "view", abstract: "Not available yet.")

    @Argument(help: "Model file.") var model: String?

    func run() throws {
        throw reportFailure(ValidationError("'view' is not available yet"))
    }
}

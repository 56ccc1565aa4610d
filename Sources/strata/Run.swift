import ArgumentParser
import Foundation

/// `strata run` (see DESIGN.md).
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Not available yet.")

    @Argument(help: "Model file.") var model: String?

    func run() throws {
        throw reportFailure(ValidationError("'run' is not available yet"))
    }
}

import ArgumentParser
import Foundation

/// `strata bench` (see DESIGN.md).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Not available yet.")

    @Argument(help: "Model file.") var model: String?

    func run() throws {
        throw reportFailure(ValidationError("'bench' is not available yet"))
    }
}

import ArgumentParser
import Foundation

/// `strata inspect` (see DESIGN.md).
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Not available yet.")

    @Argument(help: "Model file.") var model: String?

    func run() throws {
        throw reportFailure(ValidationError("'inspect' is not available yet"))
    }
}

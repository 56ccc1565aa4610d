import ArgumentParser
import Foundation
import StrataCore

/// Exit statuses of the command line (DESIGN.md): 2 for bad input, 3 when a run stops at an operator
/// Strata cannot execute.
enum ExitStatus {
    static let badInput: Int32 = 2
    static let unsupportedOperator: Int32 = 3
}

/// Prints `error` as one line on standard error, prefixed with `strata:`, and returns the exit code to
/// end with. Errors that know their own status (`StatusCarrying`) choose it; everything else is bad input.
func reportFailure(_ error: Error) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    let message = String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    FileHandle.standardError.write(Data("strata: \(message)\n".utf8))
    if let carrying = error as? StatusCarrying { return ExitCode(carrying.exitStatus) }
    return ExitCode(ExitStatus.badInput)
}

/// An error that chooses the process exit status.
protocol StatusCarrying: Error {
    var exitStatus: Int32 { get }
}

/// Runs `body`, turning any error into a one-line message and an exit status.
func withFailureReporting(_ body: () throws -> Void) throws {
    do { try body() } catch { throw reportFailure(error) }
}

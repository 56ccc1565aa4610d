import Foundation

/// Why a snapshot could not be written or opened; one line naming the file.
public struct SnapshotError: Error, CustomStringConvertible, Equatable {
    /// The snapshot (or model) file concerned.
    public let file: String
    /// What was wrong with it.
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

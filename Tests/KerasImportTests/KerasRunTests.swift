import Foundation
import KerasImport
import Runtime
import StrataCore
import Testing

/// Imported models run through the runtime give every layer's output as Keras computes it, within
/// 1e-4 · max(1, max|ref|).
@Suite struct KerasRunTests {
    /// Runs the model; a run that stops at an unsupported node returns what it computed before.
    static func run(_ c: KerasFixtures.Case) throws -> (trace: Trace, stoppedAt: String?) {
        let model = try KerasImporter.load(contentsOf: c.url)
        do {
            return (try Executor.run(model, inputs: try KerasFixtures.inputs(c)), nil)
        } catch let failure as RunFailure {
            guard case let .unsupportedOperator(_, op) = failure.error else { throw failure }
            return (failure.trace, op)
        }
    }

    static func maxError(_ value: Tensor, _ ref: Tensor) -> Float {
        let a = value.floats, b = ref.floats
        let scale = max(1, b.map(abs).max() ?? 0)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    @Test(arguments: KerasFixtures.cases.filter { $0.model != "lambda_model" })
    func everyLayerMatchesKeras(_ c: KerasFixtures.Case) throws {
        let (trace, stoppedAt) = try Self.run(c)
        #expect(stoppedAt == nil)
        for (name, ref) in try KerasFixtures.references(c).sorted(by: { $0.key < $1.key }) {
            let value = try #require(trace.tensor(named: name), "\(name) not recorded")
            #expect(value.shape == ref.shape, "\(name)")
            guard value.shape == ref.shape else { continue }
            let error = Self.maxError(value, ref)
            #expect(error <= 1e-4, "\(name): relative error \(error)")
        }
    }

    /// The Lambda layer is never executed: the run stops there, keeping what came before it.
    @Test(arguments: KerasFixtures.cases.filter { $0.model == "lambda_model" })
    func runStopsAtLambda(_ c: KerasFixtures.Case) throws {
        let (trace, stoppedAt) = try Self.run(c)
        #expect(stoppedAt == "Lambda")
        let before = try #require(trace.tensor(named: "before"))
        let ref = try #require(try KerasFixtures.references(c)["before"])
        #expect(Self.maxError(before, ref) <= 1e-4)
        #expect(trace.tensor(named: "after") == nil)
    }
}

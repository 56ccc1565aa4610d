import Foundation
import ModelLoading
import ONNXImport
import Runtime
import StrataCore
import Testing

/// One ONNX backend test: a folder `node/test_*` (model.onnx + test_data_set_0) or a light network.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    let name: String
    let model: URL
    var testDescription: String { name }
}

/// The ONNX project's own conformance tests (onnx 1.22.0 wheel, `onnx/backend/test/data`), found through
/// `STRATA_ONNX_DATA`. Every node test whose operators all have a Strata kernel runs, plus every test whose
/// model Strata cannot load, so import gaps show up as failures. Cases listed in `ConformanceExclusions` run as
/// known issues: they must fail (a fixed one fails the suite until it is taken off the list).
enum Conformance {
    static let root: URL? = ProcessInfo.processInfo.environment["STRATA_ONNX_DATA"].map { URL(fileURLWithPath: $0) }

    static let nodeCases: [ConformanceCase] = {
        guard let root else { return [] }
        let folder = root.appendingPathComponent("node")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("test_") }.sorted()
        return names.compactMap { name in
            let model = folder.appendingPathComponent(name).appendingPathComponent("model.onnx")
            if let loaded = try? ModelLoader.load(contentsOf: model),
               !loaded.graph.nodes.allSatisfy(KernelRegistry.supports) {
                return nil
            }
            return ConformanceCase(name: name, model: model)
        }
    }()

    static let lightCases: [ConformanceCase] = {
        guard let root else { return [] }
        let folder = root.appendingPathComponent("light")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".onnx") }.sorted()
        return names.map { ConformanceCase(name: String($0.dropLast(5)), model: folder.appendingPathComponent($0)) }
    }()

    /// `|actual − expected| ≤ atol + rtol·|expected|` per op (the loosest of a graph's ops applies).
    static let tolerances: [String: (atol: Double, rtol: Double)] = [
        "Pow": (1e-4, 1e-3), "Exp": (1e-4, 1e-3), "Gelu": (1e-4, 1e-3), "Erf": (1e-4, 1e-3),
        "Softplus": (1e-4, 1e-3), "Mish": (1e-4, 1e-3), "ReduceLogSumExp": (1e-4, 1e-3), "ReduceProd": (1e-4, 1e-3),
        "Resize": (1e-4, 1e-3), "Upsample": (1e-4, 1e-3), "LRN": (1e-4, 1e-3), "ConvTranspose": (1e-4, 1e-3),
    ]
    static let defaultTolerance = (atol: 1e-4, rtol: 1e-4)

    static func tolerance(for graph: Graph) -> (atol: Double, rtol: Double) {
        graph.nodes.reduce(defaultTolerance) { t, node in
            let own = tolerances[node.opType] ?? defaultTolerance
            return (max(t.atol, own.atol), max(t.rtol, own.rtol))
        }
    }

    /// Why `actual` differs from `expected` beyond the tolerance, or nil.
    static func mismatch(_ actual: Tensor, _ expected: Tensor, _ tol: (atol: Double, rtol: Double)) -> String? {
        guard actual.dtype == expected.dtype else { return "dtype \(actual.dtype), expected \(expected.dtype)" }
        guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
        let a = actual.doubles, e = expected.doubles
        var worst: (index: Int, error: Double)?
        for i in a.indices {
            let (x, y) = (a[i], e[i])
            if x.isNaN && y.isNaN || x == y { continue }
            let error = abs(x - y)
            if !(error <= tol.atol + tol.rtol * abs(y)), error > worst?.error ?? -1 || error.isNaN { worst = (i, error) }
        }
        guard let worst else { return nil }
        return "element \(worst.index) is \(a[worst.index]), expected \(e[worst.index]) (error \(worst.error))"
    }
}

@Suite struct ONNXConformanceTests {
    @Test func dataIsThere() throws {
        let root = try #require(Conformance.root, "set STRATA_ONNX_DATA to onnx/backend/test/data of the onnx 1.22.0 wheel (make test does)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("node").path))
        #expect(Conformance.nodeCases.count > 300)
        #expect(Conformance.lightCases.count == 9)
        let known = Conformance.nodeCases.filter { ConformanceExclusions.reasons[$0.name] != nil }.count
        print("ONNX conformance: \(Conformance.nodeCases.count) node cases, \(known) known failures")
    }

    /// Every exclusion names a real test, so the list cannot silently go stale.
    @Test func exclusionsNameRealTests() throws {
        let root = try #require(Conformance.root)
        for name in ConformanceExclusions.reasons.keys {
            let node = root.appendingPathComponent("node/\(name)").path
            let light = root.appendingPathComponent("light/\(name).onnx").path
            #expect(FileManager.default.fileExists(atPath: node) || FileManager.default.fileExists(atPath: light), "\(name)")
        }
    }

    @Test(arguments: Conformance.nodeCases)
    func node(_ c: ConformanceCase) throws {
        guard let reason = ConformanceExclusions.reasons[c.name] else { return try runNode(c) }
        withKnownIssue(Comment(rawValue: reason)) { try runNode(c) }
    }

    func runNode(_ c: ConformanceCase) throws {
        let model = try ModelLoader.load(contentsOf: c.model)
        let data = c.model.deletingLastPathComponent().appendingPathComponent("test_data_set_0")
        let feeds = model.graph.inputs.filter { model.graph.initializers[$0.name] == nil }
        var inputs: [String: Tensor] = [:]
        for (i, input) in feeds.enumerated() {
            let file = data.appendingPathComponent("input_\(i).pb")
            if FileManager.default.fileExists(atPath: file.path) { inputs[input.name] = try ONNXImporter.loadTensor(contentsOf: file) }
        }
        let trace = try Executor.run(model, inputs: inputs)
        let tol = Conformance.tolerance(for: model.graph)
        for (i, output) in model.graph.outputs.enumerated() {
            let expected = try ONNXImporter.loadTensor(contentsOf: data.appendingPathComponent("output_\(i).pb"))
            let actual = try #require(trace.tensor(named: output.name), "output '\(output.name)' was not computed")
            let problem = Conformance.mismatch(actual, expected, tol)
            #expect(problem == nil, "output \(i) '\(output.name)': \(problem ?? "")")
        }
    }

    /// The light networks: inputs `arange(n).reshape(shape) / n` (symbolic dimensions 1), as ONNX's runner makes
    /// them; ONNX's own tolerances (rtol 1e-3, densenet 2e-3; atol 1e-7, here 1e-5 for float32 summation order).
    @Test(arguments: Conformance.lightCases)
    func light(_ c: ConformanceCase) throws {
        if let reason = ConformanceExclusions.machineDependent[c.name] {
            return withKnownIssue(Comment(rawValue: reason), isIntermittent: true) { try runLight(c) }
        }
        guard let reason = ConformanceExclusions.reasons[c.name] else { return try runLight(c) }
        withKnownIssue(Comment(rawValue: reason)) { try runLight(c) }
    }

    func runLight(_ c: ConformanceCase) throws {
        let model = try ModelLoader.load(contentsOf: c.model)
        var inputs: [String: Tensor] = [:]
        for input in model.graph.inputs where model.graph.initializers[input.name] == nil {
            let shape = (input.type.shape ?? []).map { $0.intValue ?? 1 }
            let n = shape.reduce(1, *)
            inputs[input.name] = Tensor(shape: shape, floats: (0..<n).map { Float(Double($0) / Double(n)) })
        }
        let trace = try Executor.run(model, inputs: inputs)
        let base = c.model.deletingPathExtension().path
        let rtol = c.name.contains("densenet") ? 2e-3 : 1e-3
        for (i, output) in model.graph.outputs.enumerated() {
            let expected = try ONNXImporter.loadTensor(contentsOf: URL(fileURLWithPath: "\(base)_output_\(i).pb"))
            let actual = try #require(trace.tensor(named: output.name))
            let problem = Conformance.mismatch(actual, expected, (1e-5, rtol))
            #expect(problem == nil, "output \(i) '\(output.name)': \(problem ?? "")")
        }
    }
}

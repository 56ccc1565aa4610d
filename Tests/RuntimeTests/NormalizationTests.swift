import Testing
import StrataCore
@testable import Runtime

@Suite struct NormalizationTests {
    @Test func batchNormalizationPerChannel() throws {
        let x = Tensor(shape: [1, 2, 1, 2], floats: [1, 2, 3, 4])
        let params = [[1, 2], [0, 1], [1, 3], [4, 1]].map { Tensor(shape: [2], floats: $0) }
        let y = try KernelHarness.run("BatchNormalization", [x] + params, ["epsilon": .float(0)])[0]
        #expect(y.floats == [0, 0.5, 1, 3])
    }

    @Test func batchNormalizationOldOpsetWithExtraOutputs() throws {
        let x = Tensor(shape: [2, 1], floats: [5, 7])
        let params = [[2], [1], [1], [3.99999]].map { Tensor(shape: [1], floats: $0) }
        let out = try KernelHarness.run("BatchNormalization", [x] + params, outputs: 5, opset: 7)
        #expect(out.count == 5)
        #expect(KernelHarness.close(out[0].floats, [5, 7], tolerance: 1e-5))
    }

    @Test func batchNormalizationTrainingModeUsesBatchStatistics() throws {
        let x = Tensor(shape: [2, 1, 1, 1], floats: [1, 3])
        let params = [[1], [0], [0], [1]].map { Tensor(shape: [1], floats: $0) }
        let out = try KernelHarness.run("BatchNormalization", [x] + params, outputs: 3, opset: 15, [
            "training_mode": .int(1), "epsilon": .float(0), "momentum": .float(0.5),
        ])
        #expect(out[0].floats == [-1, 1])
        #expect(out[1].floats == [1])  // 0·0.5 + 2·0.5
        #expect(out[2].floats == [1])  // 1·0.5 + 1·0.5
    }

    @Test func instanceNormalization() throws {
        let x = Tensor(shape: [1, 1, 1, 4], floats: [1, 2, 3, 4])
        let y = try KernelHarness.run("InstanceNormalization", [x, Tensor(shape: [1], floats: [2]), Tensor(shape: [1], floats: [1])],
                                      ["epsilon": .float(0)])[0]
        let s = Float(1.25).squareRoot()
        #expect(KernelHarness.close(y.floats, [-1.5, -0.5, 0.5, 1.5].map { 2 * $0 / s + 1 }, tolerance: 1e-6))
    }

    @Test func layerNormalizationWithStatistics() throws {
        let x = Tensor(shape: [2, 3], floats: [1, 2, 3, 2, 4, 6])
        let scale = Tensor(shape: [3], floats: [1, 1, 2])
        let out = try KernelHarness.run("LayerNormalization", [x, scale, nil], outputs: 3, ["epsilon": .float(0)])
        let r = Float(1.5).squareRoot()
        #expect(KernelHarness.close(out[0].floats, [-r, 0, 2 * r, -r, 0, 2 * r], tolerance: 1e-6))
        #expect(out[1].shape == [2, 1] && out[1].floats == [2, 4])
        #expect(KernelHarness.close(out[2].floats, [1 / Float(2.0 / 3).squareRoot(), 1 / Float(8.0 / 3).squareRoot()], tolerance: 1e-6))
    }

    @Test func layerNormalizationOverTwoAxesWithBias() throws {
        let x = Tensor(shape: [1, 2, 2], floats: [0, 2, 4, 6])
        let y = try KernelHarness.run("LayerNormalization", [x, Tensor(shape: [2], floats: [1, 1]), Tensor(shape: [2], floats: [0, 10])],
                                      ["axis": .int(1), "epsilon": .float(0)])[0]
        let d = Float(5).squareRoot()
        #expect(KernelHarness.close(y.floats, [-3 / d, 10 - 1 / d, 1 / d, 10 + 3 / d], tolerance: 1e-6))
    }

    @Test func lrnAcrossChannels() throws {
        let x = Tensor(shape: [1, 3, 1, 1], floats: [1, 2, 3])
        let y = try KernelHarness.run("LRN", [x], ["size": .int(3), "alpha": .float(3), "beta": .float(1), "bias": .float(1)])[0]
        #expect(KernelHarness.close(y.floats, [1.0 / 6, 2.0 / 15, 3.0 / 14], tolerance: 1e-6))
    }

    @Test func dropoutIsIdentityWithTrueMask() throws {
        let x = Tensor(shape: [2, 2], floats: [1, -2, 3, 4])
        let out = try KernelHarness.run("Dropout", [x, Tensor(scalar: Float(0.3))], outputs: 2, opset: 13)
        #expect(out[0] == x)
        #expect(out[1].dtype == .bool && out[1].doubles == [1, 1, 1, 1])
        #expect(throws: RuntimeError.self) {
            try KernelHarness.run("Dropout", [x, Tensor(scalar: Float(0.3)), Tensor(shape: [], scalars: [true])], opset: 13)
        }
    }
}

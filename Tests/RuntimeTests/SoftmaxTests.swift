import Foundation
import Runtime
import StrataCore
import Testing

@Suite struct SoftmaxTests {
    let x = Tensor(shape: [1, 2, 2], floats: [0, 1, 2, 3])

    func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
    }

    /// From opset 13 Softmax normalises along the last axis alone: each pair sums to 1.
    @Test func opset13SingleAxis() throws {
        let y = try run1("Softmax", [x], opset: 13).floats
        let e = 1 / (1 + Float(M_E))
        #expect(close(y, [e, 1 - e, e, 1 - e]))
    }

    /// Before opset 13, axis 1 coerces [1, 2, 2] to [1, 4]: all four values share one normalisation.
    @Test func legacyCoercesTo2D() throws {
        let y = try run1("Softmax", [x], opset: 11).floats
        let total = (0..<4).map { expf(Float($0)) }.reduce(0, +)
        #expect(close(y, (0..<4).map { expf(Float($0)) / total }))
    }

    @Test func logSoftmaxLegacyAndNew() throws {
        let legacy = try run1("LogSoftmax", [x], opset: 11).floats
        let total = logf((0..<4).map { expf(Float($0)) }.reduce(0, +))
        #expect(close(legacy, (0..<4).map { Float($0) - total }))
        let single = try run1("LogSoftmax", [x], attributes: ["axis": .int(1)], opset: 13).floats
        let l = logf(1 + expf(2))
        #expect(close(single, [-l, -l, 2 - l, 2 - l]))
    }

    @Test func largeValuesStayFinite() throws {
        let y = try run1("Softmax", [Tensor(shape: [2], floats: [1000, 1000])], opset: 13).floats
        #expect(y == [0.5, 0.5])
    }
}

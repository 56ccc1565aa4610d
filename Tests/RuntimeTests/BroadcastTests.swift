import Runtime
import StrataCore
import Testing

@Suite struct BroadcastTests {
    @Test func addsRowToMatrix() throws {
        let y = try run1("Add", [arange([2, 3]), Tensor(shape: [3], floats: [10, 20, 30])])
        #expect(y.shape == [2, 3])
        #expect(y.floats == [10, 21, 32, 13, 24, 35])
    }

    @Test func broadcastsColumnAgainstRow() throws {
        let y = try run1("Sub", [Tensor(shape: [3, 1], floats: [1, 2, 3]), Tensor(shape: [1, 2], floats: [10, 20])])
        #expect(y.shape == [3, 2])
        #expect(y.floats == [-9, -19, -8, -18, -7, -17])
    }

    @Test func channelBiasOverNCHW() throws {
        let x = arange([1, 2, 2, 2])
        let y = try run1("Mul", [x, Tensor(shape: [2, 1, 1], floats: [1, -1])])
        #expect(y.floats == [0, 1, 2, 3, -4, -5, -6, -7])
    }

    @Test func scalarOnEitherSide() throws {
        #expect(try run1("Div", [Tensor(scalar: Float(12)), Tensor(shape: [3], floats: [1, 2, 4])]).floats == [12, 6, 3])
        #expect(try run1("Pow", [Tensor(shape: [3], floats: [1, 2, 3]), Tensor(scalar: Float(2))]).floats == [1, 4, 9])
    }

    @Test func int64ShapeArithmetic() throws {
        let y = try run1("Mul", [ints([2, 3]), ints([4])])
        #expect(y.dtype == .int64)
        #expect(y.int64s == [8, 12])
        #expect(try run1("Div", [ints([7, -7]), ints([2, 2])]).int64s == [3, -3])
    }

    @Test func rejectsShapesThatDoNotBroadcast() {
        #expect(throws: RuntimeError.invalidInput(node: "n", op: "Add", problem: "shapes [2, 3] and [2] do not broadcast")) {
            try run1("Add", [arange([2, 3]), arange([2])])
        }
    }

    @Test func comparisonAndWhere() throws {
        let cond = try run1("Greater", [Tensor(shape: [4], floats: [1, 5, 3, 7]), Tensor(scalar: Float(4))])
        #expect(cond.dtype == .bool)
        let y = try run1("Where", [cond, Tensor(shape: [4], floats: [1, 2, 3, 4]), Tensor(scalar: Float(0))])
        #expect(y.floats == [0, 2, 0, 4])
    }

    @Test func variadicMeanAndMax() throws {
        let a = Tensor(shape: [2], floats: [1, 8]), b = Tensor(shape: [2], floats: [3, 2]), c = Tensor(scalar: Float(5))
        #expect(try run1("Mean", [a, b, c]).floats == [3, 5])
        #expect(try run1("Max", [a, b, c]).floats == [5, 8])
    }

    @Test func clipAttributeAndInputForms() throws {
        let x = Tensor(shape: [4], floats: [-2, 0.5, 3, 9])
        let old = try run1("Clip", [x], attributes: ["min": .float(0), "max": .float(6)], opset: 6)
        #expect(old.floats == [0, 0.5, 3, 6])
        let new = try run1("Clip", [x, Tensor(scalar: Float(0)), Tensor(scalar: Float(6))], opset: 13)
        #expect(new.floats == [0, 0.5, 3, 6])
        #expect(try run1("Clip", [x, nil, Tensor(scalar: Float(1))], opset: 13).floats == [-2, 0.5, 1, 1])
    }
}

import StrataCore
import Testing

struct TensorTests {
    @Test func shapeCountAndScalars() {
        let t = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        #expect(t.count == 6)
        #expect(t.rank == 2)
        #expect(t.byteCount == 24)
        #expect(t.dtype == .float32)
        #expect(t.floats == [1, 2, 3, 4, 5, 6])
        #expect(t.description == "float32[2, 3]")
        let s = Tensor(scalar: Int64(7))
        #expect(s.shape == [] && s.count == 1 && s.int64s == [7])
    }

    @Test func emptyTensors() {
        let e = Tensor(shape: [0, 4], scalars: [Float]())
        #expect(e.count == 0)
        #expect(e.floats.isEmpty)
        #expect(Tensor(dtype: .int64, shape: [3, 0]).int64s.isEmpty)
    }

    @Test func copyOnWrite() {
        let a = Tensor(shape: [3], floats: [1, 2, 3])
        var b = a
        #expect(a.storage === b.storage)
        b.withMutableFloats { $0[0] = 10 }
        #expect(a.floats == [1, 2, 3])
        #expect(b.floats == [10, 2, 3])
        #expect(a.storage !== b.storage)
        var unique = Tensor(shape: [2], floats: [1, 2])
        let before = ObjectIdentifier(unique.storage)
        unique.withMutableFloats { $0[1] = 5 }
        #expect(ObjectIdentifier(unique.storage) == before)
    }

    @Test func reshapedSharesStorage() {
        let a = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        let r = a.reshaped([3, 2])
        #expect(r.shape == [3, 2])
        #expect(r.storage === a.storage)
        #expect(r.floats == a.floats)
    }

    @Test func conversions() {
        let f = Tensor(shape: [5], floats: [1.9, -1.9, .nan, 300, -0.5])
        #expect(f.converted(to: .int32).scalars(as: Int32.self) == [1, -1, 0, 300, 0])
        #expect(f.converted(to: .uint8).scalars(as: UInt8.self) == [1, 255, 0, 44, 0])  // wraps like NumPy astype
        #expect(f.converted(to: .bool).scalars(as: Bool.self) == [true, true, true, true, true])
        let big = Tensor(shape: [1], scalars: [Int64(1 << 53) + 1])
        #expect(big.converted(to: .uint64).scalars(as: UInt64.self) == [UInt64(1 << 53) + 1])
        #expect(big.converted(to: .float64).doubles == [Double(1 << 53)])
        let b = Tensor(shape: [3], scalars: [true, false, true])
        #expect(b.converted(to: .float32).floats == [1, 0, 1])
        #expect(f.converted(to: .float32) == f)
    }

    @Test(arguments: DType.allCases)
    func everyDTypeRoundTripsThroughDouble(_ dtype: DType) {
        let t = Tensor(shape: [3], scalars: [0.0, 1.0, 2.0]).converted(to: dtype)
        #expect(t.dtype == dtype)
        #expect(t.byteCount == 3 * dtype.byteSize)
        #expect(t.doubles == (dtype == .bool ? [0, 1, 1] : [0, 1, 2]))
        #expect(t.int64s == (dtype == .bool ? [0, 1, 1] : [0, 1, 2]))
    }

    @Test func int64sOfFloatsTruncateAndZeroNonFinite() {
        let t = Tensor(shape: [4], floats: [2.7, -2.7, .infinity, 1e30])
        #expect(t.int64s == [2, -2, 0, 0])
    }

    @Test func equalityComparesTypeShapeAndBytes() {
        let a = Tensor(shape: [2], floats: [1, 2])
        #expect(a == Tensor(shape: [2], floats: [1, 2]))
        #expect(a != Tensor(shape: [1, 2], floats: [1, 2]))
        #expect(a != Tensor(shape: [2], floats: [1, 3]))
        #expect(a != Tensor(shape: [2], scalars: [Int32(1), Int32(2)]))
    }

    @Test func checkedElementCountRejectsOverflowAndNegatives() {
        #expect(Tensor.checkedElementCount([2, 3, 4]) == 24)
        #expect(Tensor.checkedElementCount([]) == 1)
        #expect(Tensor.checkedElementCount([1 << 40, 1 << 40]) == nil)
        #expect(Tensor.checkedElementCount([-1, 2]) == nil)
    }
}

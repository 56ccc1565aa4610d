import Foundation
import Testing
import StrataCore
@testable import Runtime

@Suite struct GemmTests {
    @Test func gemmTransposesScalesAndBroadcastsC() throws {
        let a = Tensor(shape: [3, 2], floats: [1, 4, 2, 5, 3, 6])  // Aᵀ = [[1, 2, 3], [4, 5, 6]]
        let b = Tensor(shape: [2, 3], floats: [1, 0, 1, 0, 1, 1])  // Bᵀ = [[1, 0], [0, 1], [1, 1]]
        let c = Tensor(shape: [2], floats: [10, 20])
        let y = try KernelHarness.run("Gemm", [a, b, c], [
            "transA": .int(1), "transB": .int(1), "alpha": .float(2), "beta": .float(0.5),
        ])[0]
        // Aᵀ·Bᵀ = [[4, 5], [10, 11]]; ·2 + 0.5·[10, 20]
        #expect(y.shape == [2, 2])
        #expect(y.floats == [13, 20, 25, 32])
    }

    @Test func gemmWithoutC() throws {
        let a = Tensor(shape: [1, 3], floats: [1, 2, 3])
        let b = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
        #expect(try KernelHarness.run("Gemm", [a, b])[0].floats == [22, 28])
    }

    @Test func gemmColumnC() throws {
        let a = Tensor(shape: [2, 1], floats: [1, 2])
        let b = Tensor(shape: [1, 2], floats: [3, 4])
        let c = Tensor(shape: [2, 1], floats: [100, 200])
        #expect(try KernelHarness.run("Gemm", [a, b, c])[0].floats == [103, 104, 206, 208])
    }

    /// NumPy matmul over broadcast batch dimensions, written out.
    static func naiveMatMul(_ a: [Float], _ b: [Float], batch: Int, aBatch: Int, bBatch: Int, m: Int, k: Int, n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: batch * m * n)
        for i in 0..<batch {
            let ao = (aBatch == 1 ? 0 : i) * m * k, bo = (bBatch == 1 ? 0 : i) * k * n
            for r in 0..<m { for c in 0..<n {
                out[(i * m + r) * n + c] = (0..<k).reduce(0) { $0 + a[ao + r * k + $1] * b[bo + $1 * n + c] }
            } }
        }
        return out
    }

    @Test(arguments: [([3, 2, 4], [4, 5]), ([1, 2, 4], [3, 4, 5]), ([3, 2, 4], [3, 4, 5]), ([2, 4], [3, 4, 5])])
    func matMulBroadcastsBatch(_ aShape: [Int], _ bShape: [Int]) throws {
        let a = KernelHarness.tensor(aShape, seed: 21), b = KernelHarness.tensor(bShape, seed: 22)
        let y = try KernelHarness.run("MatMul", [a, b])[0]
        let aBatch = aShape.count == 3 ? aShape[0] : 1, bBatch = bShape.count == 3 ? bShape[0] : 1
        let expected = Self.naiveMatMul(a.floats, b.floats, batch: max(aBatch, bBatch), aBatch: aBatch, bBatch: bBatch,
                                        m: 2, k: 4, n: 5)
        #expect(y.shape == [max(aBatch, bBatch), 2, 5])
        #expect(KernelHarness.close(y.floats, expected, tolerance: 1e-5))
    }

    @Test func matMulVectorOperands() throws {
        let v = Tensor(shape: [3], floats: [1, 2, 3])
        let m = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
        let left = try KernelHarness.run("MatMul", [v, m])[0]
        let right = try KernelHarness.run("MatMul", [Tensor(shape: [2, 3], floats: [1, 0, 1, 0, 1, 0]), v])[0]
        let dot = try KernelHarness.run("MatMul", [v, v])[0]
        #expect(left.shape == [2] && left.floats == [22, 28])
        #expect(right.shape == [2] && right.floats == [4, 2])
        #expect(dot.shape == [] && dot.floats == [14])
    }

    /// A classifier whose weight rows are all equal must give bitwise equal logits in every column, however
    /// large (light_resnet50 reaches 1e19; a uniform softmax depends on it).
    @Test func equalColumnsStayBitwiseEqual() throws {
        let k = 2048, n = 1000
        let a = Tensor(shape: [1, k], floats: KernelHarness.values(k, seed: 31).map { abs($0) * 1e16 })
        let b = Tensor(shape: [n, k], repeating: 0.02)
        let y = try KernelHarness.run("Gemm", [a, b, Tensor(shape: [n], repeating: 0.02)], ["transB": .int(1)])[0]
        #expect(Set(y.floats).count == 1)
    }

    @Test func openBLASServerThreadsAreShutDownAndProductsStillRun() throws {
        OpenBLASThreads.stop()
        // OpenBLAS's pthreads builds export whether their server threads are up; other builds have none to stop.
        if let available = dlsym(nil, "blas_server_avail") {
            #expect(available.load(as: Int32.self) == 0)
        }
        let (m, n, k) = (40, 36, 50)
        let a = (0..<m * k).map { Float($0 % 7) - 3 }, b = (0..<k * n).map { Float($0 % 5) - 2 }
        var c = [Float](repeating: .nan, count: m * n)
        BLAS.sgemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &c, ldc: n, parallel: false)
        for i in 0..<m {
            for j in 0..<n {
                let expected = (0..<k).reduce(Float(0)) { $0 + a[i * k + $1] * b[$1 * n + j] }
                #expect(c[i * n + j] == expected, "C[\(i), \(j)]")
            }
        }
    }

    @Test func matMulRejectsMismatch() {
        #expect(throws: RuntimeError.self) {
            try KernelHarness.run("MatMul", [Tensor(shape: [2, 3], repeating: 1), Tensor(shape: [2, 3], repeating: 1)])
        }
    }
}

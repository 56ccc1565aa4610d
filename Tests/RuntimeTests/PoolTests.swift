import Testing
import StrataCore
@testable import Runtime

@Suite struct PoolTests {
    let arange16 = Tensor(shape: [1, 1, 4, 4], floats: (0..<16).map(Float.init))
    let arange9 = Tensor(shape: [1, 1, 3, 3], floats: (0..<9).map(Float.init))

    @Test func maxPool2x2Stride2WithIndices() throws {
        let out = try KernelHarness.run("MaxPool", [arange16], outputs: 2,
                                        ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        #expect(out[0].shape == [1, 1, 2, 2])
        #expect(out[0].floats == [5, 7, 13, 15])
        #expect(out[1].scalars(as: Int64.self) == [5, 7, 13, 15])
    }

    @Test func maxPoolCeilModeAddsPartialWindows() throws {
        let attributes: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2])]
        let floor = try KernelHarness.run("MaxPool", [arange16], attributes)[0]
        var ceil = attributes
        ceil["ceil_mode"] = .int(1)
        let ceiled = try KernelHarness.run("MaxPool", [arange16], ceil)[0]
        #expect(floor.floats == [10])
        #expect(ceiled.shape == [1, 1, 2, 2])
        #expect(ceiled.floats == [10, 11, 14, 15])
    }

    @Test func maxPoolDilated() throws {
        let y = try KernelHarness.run("MaxPool", [arange16], ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 2])])[0]
        #expect(y.floats == [10, 11, 14, 15])
    }

    @Test func maxPoolOneDimensional() throws {
        let x = Tensor(shape: [1, 1, 5], floats: [1, 3, 2, 5, 4])
        let y = try KernelHarness.run("MaxPool", [x], ["kernel_shape": .ints([2])])[0]
        #expect(y.shape == [1, 1, 4])
        #expect(y.floats == [3, 3, 5, 5])
    }

    @Test func averagePoolExcludesPaddingByDefault() throws {
        let y = try KernelHarness.run("AveragePool", [arange9], ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])])[0]
        #expect(KernelHarness.close(y.floats, [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6], tolerance: 1e-6))
    }

    @Test func averagePoolCountIncludePad() throws {
        let y = try KernelHarness.run("AveragePool", [arange9], [
            "kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(1),
        ])[0]
        let sums: [Float] = [8, 15, 12, 21, 36, 27, 20, 33, 24]
        #expect(KernelHarness.close(y.floats, sums.map { $0 / 9 }, tolerance: 1e-6))
    }

    /// A ceil_mode window hanging past the input (not into padding) averages only what it covers.
    @Test func averagePoolCeilModeWithCountIncludePad() throws {
        let y = try KernelHarness.run("AveragePool", [arange9], [
            "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "ceil_mode": .int(1), "count_include_pad": .int(1),
        ])[0]
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.floats == [2, 3.5, 6.5, 8])
    }

    @Test func globalPools() throws {
        let x = Tensor(shape: [1, 2, 2, 2], floats: [1, 2, 3, 6, -1, -2, -3, -4])
        let average = try KernelHarness.run("GlobalAveragePool", [x])[0]
        let maximum = try KernelHarness.run("GlobalMaxPool", [x])[0]
        #expect(average.shape == [1, 2, 1, 1])
        #expect(average.floats == [3, -2.5])
        #expect(maximum.floats == [6, -1])
    }

    /// Planes taken eight at a time (19 planes: two groups of eight and three alone) give each plane's mean summed
    /// from 0 in order, to the bit, NaN and infinity included.
    @Test func globalAveragePoolMatchesPlaneByPlaneSums() throws {
        let (planes, plane) = (19, 49)
        var values = (0..<(planes * plane)).map { Float(($0 * 7919) % 1000) / 37 - 13.5 }
        values[3 * plane + 5] = .nan
        values[12 * plane] = .infinity
        let x = Tensor(shape: [1, planes, 7, 7], floats: values)
        let average = try KernelHarness.run("GlobalAveragePool", [x])[0]
        #expect(average.shape == [1, planes, 1, 1])
        for p in 0..<planes {
            let expected = values[(p * plane)..<((p + 1) * plane)].reduce(0, +) / Float(plane)
            let got = average.floats[p]
            #expect(got.bitPattern == expected.bitPattern || (got.isNaN && expected.isNaN), "plane \(p)")
        }
    }

    /// A stride-2 MaxPool on rows wide enough for the eight-lane path (and its scalar end), with padding and a
    /// NaN, against windows taken one by one: the values and the NaN handling of the scalar loop.
    @Test func maxPoolStride2WideRowsMatchWindowByWindow() throws {
        let (h, w) = (7, 45)
        var values: [Float] = (0..<(2 * h * w)).map { (i: Int) -> Float in Float((i * 37) % 101) - 50 }
        values[3 * w + 20] = .nan
        let x = Tensor(shape: [1, 2, h, w], floats: values)
        let y = try KernelHarness.run("MaxPool", [x], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]),
                                                        "pads": .ints([1, 1, 1, 1])])[0]
        let (outH, outW) = (4, 23)
        #expect(y.shape == [1, 2, outH, outW])
        var expected: [Float] = []
        for c in 0..<2 {
            for oy in 0..<outH {
                for ox in 0..<outW {
                    var best = -Float.infinity
                    for iy in (2 * oy - 1)...(2 * oy + 1) where iy >= 0 && iy < h {
                        for ix in (2 * ox - 1)...(2 * ox + 1) where ix >= 0 && ix < w {
                            let v = values[(c * h + iy) * w + ix]
                            best = v > best ? v : best
                        }
                    }
                    expected.append(best)
                }
            }
        }
        #expect(y.floats.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    /// One window over the whole plane (ResNet's last pool) gives each plane's mean.
    @Test func averagePoolOverTheWholePlane() throws {
        let values: [Float] = (0..<90).map { (i: Int) -> Float in Float(i % 17) * 0.25 - 1 }
        let x = Tensor(shape: [1, 3, 5, 6], floats: values)
        let y = try KernelHarness.run("AveragePool", [x], ["kernel_shape": .ints([5, 6])])[0]
        #expect(y.shape == [1, 3, 1, 1])
        let means: [Float] = (0..<3).map { (c: Int) -> Float in values[(c * 30)..<(c * 30 + 30)].reduce(0, +) / 30 }
        #expect(y.floats == means)
    }

    @Test func sameUpperPoolKeepsSize() throws {
        let y = try KernelHarness.run("MaxPool", [arange9], ["kernel_shape": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")])[0]
        #expect(y.shape == [1, 1, 3, 3])
        #expect(y.floats == [4, 5, 5, 7, 8, 8, 7, 8, 8])
    }

    @Test func kernelLargerThanInputIsAnError() {
        #expect(throws: RuntimeError.self) {
            try KernelHarness.run("MaxPool", [arange9], ["kernel_shape": .ints([5, 5])])
        }
    }
}

import Testing
import StrataCore
@testable import Runtime

/// Scatter-add transposed convolution, the definition ConvTranspose is checked against.
func naiveConvTranspose(x: Tensor, w: Tensor, group: Int, strides: [Int], dilations: [Int], pads: [Int],
                        outputPadding: [Int]) -> (shape: [Int], values: [Float]) {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (mg, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
    let m = mg * group, cg = c / group
    let oh = strides[0] * (h - 1) + outputPadding[0] + (kh - 1) * dilations[0] + 1 - pads[0] - pads[2]
    let ow = strides[1] * (wd - 1) + outputPadding[1] + (kw - 1) * dilations[1] + 1 - pads[1] - pads[3]
    let (xs, ws) = (x.floats, w.floats)
    var out = [Float](repeating: 0, count: n * m * oh * ow)
    for b in 0..<n { for ic in 0..<c { for iy in 0..<h { for ix in 0..<wd {
        let g = ic / cg
        for j in 0..<mg { for ky in 0..<kh { for kx in 0..<kw {
            let oy = iy * strides[0] - pads[0] + ky * dilations[0]
            let ox = ix * strides[1] - pads[1] + kx * dilations[1]
            guard oy >= 0, oy < oh, ox >= 0, ox < ow else { continue }
            let oc = g * mg + j
            out[((b * m + oc) * oh + oy) * ow + ox] +=
                xs[((b * c + ic) * h + iy) * wd + ix] * ws[((ic * mg + j) * kh + ky) * kw + kx]
        } } }
    } } } }
    return ([n, m, oh, ow], out)
}

@Suite struct ConvTransposeTests {
    /// The ONNX operator documentation's first example.
    @Test func onesKernelOnArange() throws {
        let x = Tensor(shape: [1, 1, 3, 3], floats: (0..<9).map(Float.init))
        let w = Tensor(shape: [1, 2, 3, 3], repeating: 1)
        let y = try KernelHarness.run("ConvTranspose", [x, w])[0]
        let plane: [Float] = [0, 1, 3, 3, 2, 3, 8, 15, 12, 7, 9, 21, 36, 27, 15, 9, 20, 33, 24, 13, 6, 13, 21, 15, 8]
        #expect(y.shape == [1, 2, 5, 5])
        #expect(y.floats == plane + plane)
    }

    @Test(arguments: [
        (1, [2, 2], [1, 1], [1, 0, 1, 0], [1, 1]),
        (2, [3, 2], [1, 1], [0, 0, 0, 0], [0, 0]),
        (1, [1, 1], [2, 2], [1, 1, 1, 1], [0, 0]),
        (4, [2, 2], [1, 1], [1, 1, 0, 0], [1, 0]),
    ])
    func matchesScatterDefinition(_ group: Int, _ strides: [Int], _ dilations: [Int], _ pads: [Int], _ outputPadding: [Int]) throws {
        let x = KernelHarness.tensor([2, 4, 4, 5], seed: 11)
        let w = KernelHarness.tensor([4, 3, 3, 3], seed: 12)
        let y = try KernelHarness.run("ConvTranspose", [x, w], [
            "group": .int(group), "strides": .ints(strides), "dilations": .ints(dilations), "pads": .ints(pads),
            "output_padding": .ints(outputPadding),
        ])[0]
        let reference = naiveConvTranspose(x: x, w: w, group: group, strides: strides, dilations: dilations, pads: pads,
                                           outputPadding: outputPadding)
        #expect(y.shape == reference.shape)
        #expect(KernelHarness.close(y.floats, reference.values, tolerance: 1e-5))
    }

    /// `output_shape` larger than the natural size pads at the end (total padding -1 → pads [0, -1]).
    @Test func outputShapeGrowsAtTheEnd() throws {
        let x = KernelHarness.tensor([1, 1, 3, 3], seed: 13)
        let w = KernelHarness.tensor([1, 2, 3, 3], seed: 14)
        let y = try KernelHarness.run("ConvTranspose", [x, w], ["strides": .ints([3, 2]), "output_shape": .ints([10, 8])])[0]
        let natural = naiveConvTranspose(x: x, w: w, group: 1, strides: [3, 2], dilations: [1, 1], pads: [0, 0, 0, 0],
                                         outputPadding: [1, 1])
        #expect(y.shape == [1, 2, 10, 8])
        #expect(natural.shape == [1, 2, 10, 8])
        #expect(KernelHarness.close(y.floats, natural.values, tolerance: 1e-5))
    }

    @Test func sameUpperDoublesTheSize() throws {
        let x = KernelHarness.tensor([1, 1, 3, 3], seed: 15)
        let w = KernelHarness.tensor([1, 1, 3, 3], seed: 16)
        let y = try KernelHarness.run("ConvTranspose", [x, w], ["strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")])[0]
        let reference = naiveConvTranspose(x: x, w: w, group: 1, strides: [2, 2], dilations: [1, 1], pads: [0, 0, 1, 1],
                                           outputPadding: [0, 0])
        #expect(y.shape == [1, 1, 6, 6])
        #expect(KernelHarness.close(y.floats, reference.values, tolerance: 1e-5))
    }
}

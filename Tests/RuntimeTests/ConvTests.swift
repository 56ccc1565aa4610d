import Foundation
import Testing
import StrataCore
@testable import Runtime

/// Runs one kernel from the registry on a hand-made node (shared by the heavy-kernel tests).
enum KernelHarness {
    static func run(_ op: String, _ inputs: [Tensor?], outputs: Int = 1, opset: Int = 17,
                    _ attributes: [String: Attribute] = [:]) throws -> [Tensor] {
        let names = inputs.indices.map { inputs[$0] == nil ? "" : "in\($0)" }
        let node = Node(name: "n", opType: op, inputs: names, outputs: (0..<outputs).map { "out\($0)" },
                        attributes: attributes)
        guard let kernel = KernelRegistry.kernel(for: node) else { throw RuntimeError.unsupportedOperator(node: "n", op: op) }
        return try kernel(node, inputs, KernelContext(opset: opset))
    }

    /// Deterministic pseudo-random floats in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
    }

    static func tensor(_ shape: [Int], seed: UInt64) -> Tensor {
        Tensor(shape: shape, floats: values(shape.reduce(1, *), seed: seed))
    }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}

/// A plain six-loop 2-D convolution with explicit padding: the reference the fast paths are checked against.
func naiveConv(x: Tensor, w: Tensor, bias: [Float]?, group: Int, strides: [Int], dilations: [Int],
               pads: [Int]) -> (shape: [Int], values: [Float]) {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (m, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1
    let ow = (wd + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1
    let (xs, ws) = (x.floats, w.floats)
    let (cg, mg) = (c / group, m / group)
    var out = [Float](repeating: 0, count: n * m * oh * ow)
    for b in 0..<n { for oc in 0..<m { for oy in 0..<oh { for ox in 0..<ow {
        var sum = bias?[oc] ?? 0
        for ic in 0..<cg { for ky in 0..<kh { for kx in 0..<kw {
            let iy = oy * strides[0] - pads[0] + ky * dilations[0]
            let ix = ox * strides[1] - pads[1] + kx * dilations[1]
            guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
            let channel = (oc / mg) * cg + ic
            sum += xs[((b * c + channel) * h + iy) * wd + ix] * ws[((oc * cg + ic) * kh + ky) * kw + kx]
        } } }
        out[((b * m + oc) * oh + oy) * ow + ox] = sum
    } } } }
    return ([n, m, oh, ow], out)
}

struct ConvCase: CustomTestStringConvertible, Sendable {
    var name: String
    var x: [Int], w: [Int]
    var group = 1, strides = [1, 1], dilations = [1, 1], pads = [0, 0, 0, 0]
    var bias = false
    var testDescription: String { name }

    /// Runs the Conv kernel on seeded random tensors of this case and compares it with `naiveConv`.
    func expectMatchesNaive(seed: UInt64, tolerance: Float) throws {
        let x = KernelHarness.tensor(self.x, seed: seed)
        let w = KernelHarness.tensor(self.w, seed: seed + 1)
        let bias = self.bias ? KernelHarness.tensor([self.w[0]], seed: seed + 2) : nil
        let y = try KernelHarness.run("Conv", [x, w, bias], [
            "group": .int(group), "strides": .ints(strides), "dilations": .ints(dilations), "pads": .ints(pads),
        ])[0]
        let reference = naiveConv(x: x, w: w, bias: bias?.floats, group: group, strides: strides,
                                  dilations: dilations, pads: pads)
        #expect(y.shape == reference.shape)
        #expect(KernelHarness.close(y.floats, reference.values, tolerance: tolerance))
    }
}

@Suite struct ConvTests {
    @Test func twoByTwoOnesKernel() throws {
        let x = Tensor(shape: [1, 1, 3, 3], floats: (0..<9).map(Float.init))
        let w = Tensor(shape: [1, 1, 2, 2], repeating: 1)
        let y = try KernelHarness.run("Conv", [x, w])[0]
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.floats == [8, 12, 20, 24])
    }

    static let cases: [ConvCase] = [
        ConvCase(name: "3x3 pad 1 with bias", x: [1, 3, 7, 6], w: [4, 3, 3, 3], pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "asymmetric pads, stride 2", x: [2, 2, 8, 9], w: [3, 2, 3, 3], strides: [2, 2], pads: [0, 0, 1, 1]),
        ConvCase(name: "dilation 2, stride (1, 2)", x: [1, 2, 9, 9], w: [2, 2, 3, 3], strides: [1, 2], dilations: [2, 2], pads: [2, 1, 2, 0]),
        ConvCase(name: "groups 2", x: [1, 4, 6, 6], w: [6, 2, 3, 3], group: 2, pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "depthwise stride 2", x: [2, 5, 9, 8], w: [5, 1, 3, 3], group: 5, strides: [2, 2], pads: [0, 0, 1, 1], bias: true),
        ConvCase(name: "depthwise dilation, multiplier 2", x: [1, 3, 10, 10], w: [6, 1, 3, 3], group: 3, dilations: [2, 3], pads: [2, 3, 1, 2]),
        ConvCase(name: "pointwise 1x1 with bias", x: [2, 6, 5, 4], w: [3, 6, 1, 1], bias: true),
        ConvCase(name: "1x1 stride 2", x: [1, 4, 7, 7], w: [8, 4, 1, 1], strides: [2, 2]),
        ConvCase(name: "5x5 kernel, wide pads", x: [1, 1, 4, 4], w: [2, 1, 5, 5], pads: [3, 2, 3, 2]),
        ConvCase(name: "dilation 2, stride 1, asymmetric pads", x: [1, 3, 9, 8], w: [5, 3, 3, 3], dilations: [2, 2], pads: [2, 1, 0, 3], bias: true),
        ConvCase(name: "groups 2, stride 1, no padding", x: [1, 8, 10, 10], w: [6, 4, 3, 3], group: 2),
        ConvCase(name: "stride 3, dilation 2", x: [1, 2, 11, 12], w: [4, 2, 3, 3], strides: [3, 3], dilations: [2, 2], pads: [1, 2, 1, 0]),
        // Output rows of 2: each panel of 6 positions spans three rows.
        ConvCase(name: "stride (1, 2) to rows of 2", x: [1, 3, 9, 4], w: [5, 3, 3, 3], strides: [1, 2],
                 pads: [1, 0, 1, 1], bias: true),
        ConvCase(name: "stride far larger than the image", x: [1, 2, 5, 5], w: [3, 2, 1, 1], strides: [100_000, 100_000], bias: true),
        // Gathered then pointwise: rows of 20 (sixteen at a time and four one by one), in two groups.
        ConvCase(name: "1x1 stride 2 to rows of 20, groups 2", x: [2, 6, 9, 40], w: [8, 3, 1, 1], group: 2,
                 strides: [2, 2], bias: true),
        ConvCase(name: "1x1 stride (3, 2) to rows of 7", x: [1, 5, 10, 14], w: [6, 5, 1, 1], strides: [3, 2]),
    ]

    /// Convs large enough to be split over the cores, one per way the packed path splits: 3×3 stride 1 by
    /// output rows (in one tile a core, and in tiles whose input rows fit the L1 cache), a 9×9 plane by output
    /// channels (with and without padding), a 7×7 or smaller plane by positions (over panels of channels and of
    /// positions, in rows of 5 that the gathers cut), 1×1 by column tiles and by channels, 1×1 stride 2 (its input
    /// gathered, on one core and on all), and a stride-2 conv (phase planes).
    static let largeCases: [ConvCase] = [
        ConvCase(name: "3x3 stride 1 over output rows", x: [1, 32, 28, 28], w: [40, 32, 3, 3], pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "3x3 stride 1 in tiles of 7 rows, two a core", x: [1, 16, 28, 28], w: [24, 16, 3, 3],
                 pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "3x3 on 9x9 over output channels", x: [2, 64, 9, 9], w: [98, 64, 3, 3], pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "3x3 unpadded on 11x11 over output channels", x: [1, 64, 11, 11], w: [80, 64, 3, 3]),
        ConvCase(name: "3x3 on 7x7 by positions, over channel panels", x: [1, 64, 7, 7], w: [136, 64, 3, 3],
                 pads: [1, 1, 1, 1], bias: true),
        ConvCase(name: "3x3 stride 2 to 6x5 by positions, over position panels", x: [1, 48, 12, 10], w: [40, 48, 3, 3],
                 strides: [2, 2], pads: [1, 0, 1, 1]),
        ConvCase(name: "1x1 over column tiles", x: [1, 64, 41, 40], w: [70, 64, 1, 1], bias: true),
        ConvCase(name: "1x1 on 7x7 over output channels", x: [1, 256, 7, 7], w: [130, 256, 1, 1]),
        ConvCase(name: "1x1 stride 2, gathered, over column tiles", x: [1, 64, 56, 56], w: [128, 64, 1, 1],
                 strides: [2, 2], bias: true),
        ConvCase(name: "1x1 stride 2, gathered over the cores", x: [1, 256, 64, 64], w: [32, 256, 1, 1], strides: [2, 2]),
        ConvCase(name: "3x3 stride 2, asymmetric pads, over output rows", x: [1, 32, 61, 60], w: [48, 32, 3, 3], strides: [2, 2], pads: [1, 0, 1, 1], bias: true),
        // Each core's band of rows starts or ends in padding that holds no input row of some phases.
        ConvCase(name: "5x5 stride 2, dilated rows, pads wider than the kernel, over output rows", x: [1, 24, 50, 30],
                 w: [32, 24, 5, 5], strides: [2, 2], dilations: [2, 1], pads: [7, 3, 6, 2], bias: true),
    ]

    @Test(arguments: cases) func matchesNaiveConvolution(_ c: ConvCase) throws {
        try c.expectMatchesNaive(seed: 1, tolerance: 1e-5)
    }

    @Test(arguments: largeCases) func largeConvsMatchNaiveConvolution(_ c: ConvCase) throws {
        try c.expectMatchesNaive(seed: 11, tolerance: 1e-4)
    }

    /// The AVX2 path and the OpenBLAS path (the one CPUs without AVX2 take) give the same values.
    @Test(arguments: cases + largeCases) func openBLASPathAgrees(_ c: ConvCase) throws {
        let x = KernelHarness.tensor(c.x, seed: 21), w = KernelHarness.tensor(c.w, seed: 22)
        let bias = c.bias ? KernelHarness.tensor([c.w[0]], seed: 23) : nil
        let node = Node(name: "n", opType: "Conv", inputs: ["x", "w", c.bias ? "b" : ""], outputs: ["y"], attributes: [
            "group": .int(c.group), "strides": .ints(c.strides), "dilations": .ints(c.dilations), "pads": .ints(c.pads),
        ])
        let prepared = try ConvKernels.prepare(node, [x, w, bias])
        let fast = try ConvKernels.conv(node, [x, w, bias])
        var blas = Tensor.uninitialized(dtype: .float32, shape: prepared.outShape)
        x.withFloats { xs in
            w.withFloats { ws in
                blas.withMutableFloats { ys in
                    ConvKernels.compute(prepared.shape, x: xs.baseAddress!, weight: ws.baseAddress!, bias: prepared.bias,
                                        y: ys.baseAddress!)
                }
            }
        }
        #expect(fast.shape == blas.shape)
        #expect(KernelHarness.close(fast.floats, blas.floats, tolerance: 1e-4))
    }

    @Test(arguments: [("SAME_UPPER", [0, 0, 1, 1]), ("SAME_LOWER", [1, 1, 0, 0]), ("VALID", [0, 0, 0, 0])])
    func autoPad(_ mode: String, _ pads: [Int]) throws {
        let x = KernelHarness.tensor([1, 2, 6, 6], seed: 4)
        let w = KernelHarness.tensor([3, 2, 2, 2], seed: 5)
        let y = try KernelHarness.run("Conv", [x, w], ["auto_pad": .string(mode)])[0]
        let reference = naiveConv(x: x, w: w, bias: nil, group: 1, strides: [1, 1], dilations: [1, 1], pads: pads)
        #expect(y.shape == reference.shape)
        #expect(KernelHarness.close(y.floats, reference.values, tolerance: 1e-5))
    }

    @Test func oneDimensionalConvMatchesTwoD() throws {
        let x = KernelHarness.tensor([1, 3, 11], seed: 6)
        let w = KernelHarness.tensor([2, 3, 3], seed: 7)
        let y = try KernelHarness.run("Conv", [x, w], ["pads": .ints([2, 1]), "strides": .ints([2])])[0]
        let reference = naiveConv(x: x.reshaped([1, 3, 1, 11]), w: w.reshaped([2, 3, 1, 3]), bias: nil, group: 1,
                                  strides: [1, 2], dilations: [1, 1], pads: [0, 2, 0, 1])
        #expect(y.shape == [1, 2, 6])
        #expect(KernelHarness.close(y.floats, reference.values, tolerance: 1e-5))
    }

    @Test func rejectsAnOutputTooLargeToAllocate() {
        let x = Tensor(shape: [1, 1, 2, 2], repeating: 1)
        let w = Tensor(shape: [1, 1, 1, 1], repeating: 1)
        #expect(throws: RuntimeError.self) {
            try KernelHarness.run("Conv", [x, w], ["pads": .ints([1 << 40, 1 << 40, 1 << 40, 1 << 40])])
        }
    }

    /// A plan's Conv keeps the sizes of its last call: an input of another shape gets its own, and a return to
    /// the first shape the first's.
    @Test func sizesKeptForTheInputShape() throws {
        let node = Node(name: "n", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"],
                        attributes: ["strides": .ints([2, 1]), "pads": .ints([1, 0, 1, 1])])
        let w = KernelHarness.tensor([5, 3, 3, 3], seed: 31), b = KernelHarness.tensor([5], seed: 32)
        let sizes = ConvSizesCache()
        for (k, shape) in [[1, 3, 9, 8], [2, 3, 6, 11], [1, 3, 9, 8]].enumerated() {
            let x = KernelHarness.tensor(shape, seed: 33 + UInt64(k))
            let y = try ConvKernels.conv(node, [x, w, b], sizes: sizes)
            let reference = naiveConv(x: x, w: w, bias: b.floats, group: 1, strides: [2, 1], dilations: [1, 1],
                                      pads: [1, 0, 1, 1])
            #expect(y.shape == reference.shape)
            #expect(KernelHarness.close(y.floats, reference.values, tolerance: 1e-5))
        }
        let wrongChannels = Tensor(shape: [1, 4, 9, 8], repeating: 1)
        #expect(throws: RuntimeError.self) { try ConvKernels.conv(node, [wrongChannels, w, b], sizes: sizes) }
    }

    @Test func rejectsChannelMismatch() {
        let x = Tensor(shape: [1, 3, 4, 4], repeating: 1)
        let w = Tensor(shape: [2, 2, 3, 3], repeating: 1)
        #expect(throws: RuntimeError.invalidInput(node: "n", op: "Conv",
                                                 problem: "W [2, 2, 3, 3] does not fit X [1, 3, 4, 4] with group 1")) {
            try KernelHarness.run("Conv", [x, w])
        }
    }

    @Test func openBLASCoreOverrideOnlyForUnrecognisedAVX512() {
        let avx512 = CPUFeatures(cpuinfo: "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw\n")
        let avx2 = CPUFeatures(cpuinfo: "flags\t\t: fpu sse2 avx2\n")
        #expect(avx512.hasAVX512 && !avx2.hasAVX512)
        #expect(OpenBLASCore.override(features: avx512, environmentValue: nil, currentCore: "Prescott") == "SkylakeX")
        #expect(OpenBLASCore.override(features: avx512, environmentValue: nil, currentCore: "Cooperlake") == nil)
        #expect(OpenBLASCore.override(features: avx512, environmentValue: "Haswell", currentCore: "Haswell") == nil)
        #expect(OpenBLASCore.override(features: avx2, environmentValue: nil, currentCore: "Prescott") == nil)
    }

    @Test func haswellInstructionsNeedEveryExtension() {
        let haswell = "flags\t\t: fpu sse2 sse4_2 popcnt movbe avx f16c fma abm bmi1 avx2 bmi2\n"
        #expect(CPUFeatures(cpuinfo: haswell).hasHaswellInstructions)
        #expect(!CPUFeatures(cpuinfo: haswell.replacingOccurrences(of: " fma", with: "")).hasHaswellInstructions)
        #expect(!CPUFeatures(cpuinfo: "flags\t\t: fpu sse2 avx2 avx512f avx512bw\n").hasHaswellInstructions)
    }

    @Test func avx512InstructionsNeedHaswellsAndFiveSubsets() {
        let haswell = "flags\t\t: fpu sse2 sse4_2 popcnt movbe avx f16c fma abm bmi1 avx2 bmi2"
        let skylake = haswell + " avx512f avx512cd avx512bw avx512dq avx512vl\n"
        #expect(CPUFeatures(cpuinfo: skylake).hasAVX512Instructions)
        #expect(!CPUFeatures(cpuinfo: haswell + "\n").hasAVX512Instructions)
        #expect(!CPUFeatures(cpuinfo: skylake.replacingOccurrences(of: " avx512vl", with: "")).hasAVX512Instructions)
        #expect(!CPUFeatures(cpuinfo: skylake.replacingOccurrences(of: " fma", with: "")).hasAVX512Instructions)
    }
}

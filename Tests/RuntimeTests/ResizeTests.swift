import Testing
import StrataCore
@testable import Runtime

@Suite struct ResizeTests {
    let x = Tensor(shape: [1, 1, 2, 2], floats: [1, 2, 3, 4])
    let scales2 = Tensor(shape: [4], floats: [1, 1, 2, 2])
    let noROI = Tensor(shape: [0], floats: [])

    func resize(_ attributes: [String: Attribute], scales: Tensor?, sizes: Tensor? = nil) throws -> Tensor {
        try KernelHarness.run("Resize", [x, noROI, scales, sizes], opset: 19, attributes)[0]
    }

    @Test func nearestAsymmetricRepeats() throws {
        let y = try resize(["mode": .string("nearest"), "coordinate_transformation_mode": .string("asymmetric")], scales: scales2)
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y.floats == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    /// ONNX's `test_resize_upsample_scales_linear`.
    @Test func linearHalfPixel() throws {
        let y = try resize(["mode": .string("linear")], scales: scales2)
        let expected: [Float] = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]
        #expect(KernelHarness.close(y.floats, expected, tolerance: 1e-6))
    }

    /// ONNX's `test_resize_upsample_scales_linear_align_corners`.
    @Test func linearAlignCorners() throws {
        let y = try resize(["mode": .string("linear"), "coordinate_transformation_mode": .string("align_corners")], scales: scales2)
        let row: [Float] = [0, 1.0 / 3, 2.0 / 3, 1]
        let expected = row.flatMap { r in row.map { c in 1 + c + 2 * r } }
        #expect(KernelHarness.close(y.floats, expected, tolerance: 1e-6))
    }

    @Test func nearestSizesWithModes() throws {
        let sizes = Tensor(shape: [4], scalars: [Int64(1), 1, 3, 3])
        let floor = try resize(["nearest_mode": .string("floor")], scales: nil, sizes: sizes)
        let ceil = try resize(["nearest_mode": .string("ceil")], scales: nil, sizes: sizes)
        // half_pixel: x = (o + 0.5)·2/3 - 0.5 → -1/6, 0.5, 7/6
        #expect(floor.floats == [1, 1, 2, 1, 1, 2, 3, 3, 4])
        #expect(ceil.floats == [1, 2, 2, 3, 4, 4, 3, 4, 4])
        let roundPreferFloor = try resize([:], scales: nil, sizes: sizes)
        #expect(roundPreferFloor.floats == [1, 1, 2, 1, 1, 2, 3, 3, 4])
    }

    @Test func downsampleLinearPytorchHalfPixel() throws {
        let sizes = Tensor(shape: [4], scalars: [Int64(1), 1, 1, 1])
        let y = try resize(["mode": .string("linear"), "coordinate_transformation_mode": .string("pytorch_half_pixel")],
                           scales: nil, sizes: sizes)
        #expect(y.floats == [1])
    }

    @Test func cropAndResizeIsRefused() {
        #expect(throws: RuntimeError.invalidInput(node: "n", op: "Resize",
                                                 problem: "coordinate_transformation_mode 'tf_crop_and_resize' is not supported")) {
            try resize(["coordinate_transformation_mode": .string("tf_crop_and_resize")], scales: scales2)
        }
    }

    @Test func upsampleAttributeAndInputScales() throws {
        let opset7 = try KernelHarness.run("Upsample", [x], opset: 7, ["scales": .floats([1, 1, 2, 1])])[0]
        let opset9 = try KernelHarness.run("Upsample", [x, Tensor(shape: [4], floats: [1, 1, 1, 2])], opset: 9)[0]
        #expect(opset7.shape == [1, 1, 4, 2] && opset7.floats == [1, 2, 1, 2, 3, 4, 3, 4])
        #expect(opset9.shape == [1, 1, 2, 4] && opset9.floats == [1, 1, 2, 2, 3, 3, 4, 4])
    }

    @Test func hugeScaleIsRefused() {
        #expect(throws: RuntimeError.self) {
            try resize([:], scales: Tensor(shape: [4], floats: [1, 1, 1e9, 1e9]))
        }
    }
}

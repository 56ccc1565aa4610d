import Foundation
import Runtime
import StrataCore
import Testing

@Suite struct GreyInputTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func input(_ dims: [Dim], dtype: DType = .float32) -> ValueInfo {
        ValueInfo(name: "image", type: TensorType(dtype: dtype, shape: dims))
    }

    /// A 28×28 picture whose value at (x, y) is distinct: (y·28 + x) / 783.
    let ramp = (0..<784).map { Float($0) / 783 }

    @Test func geometryOfPictureInputs() {
        #expect(ImageInput.geometry(of: input([.symbol("N"), .value(1), .value(28), .value(28)]))
                == ImageGeometry(height: 28, width: 28, channels: 1, layout: .nchw))
        #expect(ImageInput.geometry(of: input([.value(1), .value(28), .value(28), .value(1)]))
                == ImageGeometry(height: 28, width: 28, channels: 1, layout: .nhwc))
        #expect(ImageInput.geometry(of: input([.value(1), .value(784)])) == ImageGeometry(height: 28, width: 28, channels: 1, layout: .flat))
        #expect(ImageInput.geometry(of: input([.value(1), .value(3), .value(96), .value(64)]))
                == ImageGeometry(height: 96, width: 64, channels: 3, layout: .nchw))
        #expect(ImageInput.geometry(of: input([.value(1), .value(10)])) == nil, "10 is not a square")
        #expect(ImageInput.geometry(of: input([.value(1), .value(1), .symbol("H"), .symbol("W")])) == nil)
        #expect(ImageInput.geometry(of: input([.value(1), .value(8), .value(28), .value(28)])) == nil)
        #expect(ImageInput.geometry(of: input([.value(1), .value(1), .value(100_000), .value(28)])) == nil)
        #expect(ImageInput.geometry(of: ValueInfo(name: "x")) == nil)
    }

    @Test func nchwAndNHWCAndFlatHoldThePictureRowByRow() throws {
        for dims: [Dim] in [[.symbol("N"), .value(1), .value(28), .value(28)], [.value(1), .value(28), .value(28), .value(1)],
                            [.value(1), .value(784)]] {
            let t = try ImageInput.tensor(fromGrey: ramp, width: 28, height: 28, for: input(dims))
            #expect(t.shape == dims.map { $0.intValue ?? 1 })
            #expect(t.dtype == .float32)
            let f = t.floats
            #expect(f.count == 784)
            for i in [0, 1, 27, 28, 400, 783] { #expect(abs(f[i] - ramp[i]) < 1e-6, "element \(i) of \(dims)") }
        }
    }

    @Test func greyIsReplicatedIntoRGBChannels() throws {
        let grey: [Float] = [0, 0.5, 1, 0.25]
        let nchw = try ImageInput.tensor(fromGrey: grey, width: 2, height: 2, for: input([.value(1), .value(3), .value(2), .value(2)]))
        #expect(nchw.shape == [1, 3, 2, 2])
        #expect(nchw.floats == grey + grey + grey)
        let nhwc = try ImageInput.tensor(fromGrey: grey, width: 2, height: 2, for: input([.value(1), .value(2), .value(2), .value(3)]))
        #expect(nhwc.shape == [1, 2, 2, 3])
        #expect(nhwc.floats == grey.flatMap { [$0, $0, $0] })
    }

    @Test func aPictureGoesInExactlyAsThePNGOfItsPixels() throws {
        // gray_4x2.png holds pixels 0 51 102 153 / 204 255 0 255.
        let pixels: [Float] = [0, 51, 102, 153, 204, 255, 0, 255]
        let options = PreprocessOptions(scale: 1, mean: [10, 20, 30], std: [2, 4, 5])
        let target = input([.value(1), .value(3), .value(2), .value(4)])
        let png = Self.fixtures.appendingPathComponent("gray_4x2.png").path
        let fromPNG = try InputLoader.load(.file(png), for: target, options: options)
        let fromGrey = try ImageInput.tensor(fromGrey: pixels.map { $0 / 255 }, width: 4, height: 2, for: target, options: options)
        #expect(fromGrey.shape == fromPNG.shape)
        #expect(zip(fromGrey.floats, fromPNG.floats).allSatisfy { abs($0 - $1) < 1e-4 })
        let plain = try ImageInput.tensor(fromGrey: pixels.map { $0 / 255 }, width: 4, height: 2,
                                          for: input([.value(1), .value(1), .value(2), .value(4)]))
        #expect(plain.floats == (try InputLoader.load(.file(png), for: input([.value(1), .value(1), .value(2), .value(4)]))).floats)
    }

    @Test func valuesAreClampedAndTheInputDTypeKept() throws {
        let t = try ImageInput.tensor(fromGrey: [-1, 2, 0.5, 0], width: 2, height: 2,
                                      for: input([.value(1), .value(1), .value(2), .value(2)], dtype: .float16))
        #expect(t.dtype == .float16)
        #expect(t.floats == [0, 1, 0.5, 0])
    }

    @Test func aWrongSizeOrAnIntegerInputIsAOneLineError() {
        #expect(throws: InputError.self) {
            try ImageInput.tensor(fromGrey: [0, 0, 0, 0], width: 2, height: 2, for: input([.value(1), .value(784)]))
        }
        do {
            _ = try ImageInput.tensor(fromGrey: [0, 0, 0, 0], width: 2, height: 2, for: input([.value(1), .value(784)]))
        } catch {
            #expect(String(describing: error) == "drawing: shape [2, 2] does not fit input 'image' [1, 784]")
        }
        do {
            _ = try ImageInput.tensor(fromGrey: [0, 0, 0, 0], width: 2, height: 2,
                                      for: input([.value(1), .value(1), .value(2), .value(2)], dtype: .int64))
            Issue.record("an integer input must be refused")
        } catch {
            #expect(String(describing: error) == "drawing: dtype float32 does not fit input 'image' (int64)")
        }
    }
}

import Foundation
import Runtime
import StrataCore
import Testing

@Suite struct InputTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    let gray = fixtures.appendingPathComponent("gray_4x2.png").path
    let rgb = fixtures.appendingPathComponent("rgb_2x1.png").path

    func input(_ dims: [Dim], dtype: DType = .float32, name: String = "image") -> ValueInfo {
        ValueInfo(name: name, type: TensorType(dtype: dtype, shape: dims))
    }

    func temporaryFile(_ name: String, _ data: Data) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    @Test func parsesSpecs() {
        #expect(InputSpec(parsing: "a.npy") == InputSpec(name: nil, source: .file("a.npy")))
        #expect(InputSpec(parsing: "image=random") == InputSpec(name: "image", source: .random))
        #expect(InputSpec(parsing: "x=ZEROS") == InputSpec(name: "x", source: .zeros))
        #expect(InputSpec(parsing: "dir/a=b.npy") == InputSpec(name: nil, source: .file("dir/a=b.npy")))
    }

    @Test func greyPNGIntoNCHWScaledToUnitRange() throws {
        let t = try InputLoader.load(.file(gray), for: input([.symbol("N"), .value(1), .value(2), .value(4)]))
        #expect(t.shape == [1, 1, 2, 4])
        #expect(t.floats == [0, 51, 102, 153, 204, 255, 0, 255].map { Float($0) / 255 })
    }

    @Test func pngResizedBilinearly() throws {
        let t = try InputLoader.load(.file(gray), for: input([.value(1), .value(1), .value(2), .value(2)]),
                                     options: PreprocessOptions(scale: 1))
        #expect(t.floats == [25.5, 127.5, 229.5, 127.5])
    }

    @Test func rgbPNGIntoNHWCAndNCHW() throws {
        // dims[1] = 2 is no channel count, the last (3) is: NHWC; the single row is stretched to two.
        let nhwc = try InputLoader.load(.file(rgb), for: input([.symbol("N"), .value(2), .value(2), .value(3)]),
                                        options: PreprocessOptions(scale: 1))
        #expect(nhwc.shape == [1, 2, 2, 3])
        #expect(nhwc.floats == [255, 0, 0, 0, 128, 255, 255, 0, 0, 0, 128, 255])
        let nchw = try InputLoader.load(.file(rgb), for: input([.value(1), .value(3), .value(1), .value(2)]),
                                        options: PreprocessOptions(scale: 1, mean: [255, 0, 0], std: [1, 2, 5]))
        #expect(nchw.floats == [0, -255, 0, 64, 0, 51])
    }

    @Test func corruptPNGIsOneLineError() throws {
        let path = try temporaryFile("bad.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data("garbage".utf8))
        do {
            _ = try InputLoader.load(.file(path), for: input([.value(1), .value(1), .value(2), .value(2)]))
            Issue.record("a corrupt PNG must not load")
        } catch let error as InputError {
            #expect(error.description.hasPrefix("\(path): cannot read PNG: "))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func pngForNonImageInputIsRejected() {
        #expect(throws: InputError.notAnImage(file: gray, input: "image", type: "[N, 10]")) {
            try InputLoader.load(.file(gray), for: input([.symbol("N"), .value(10)]))
        }
    }

    @Test func npyShapeIsChecked() throws {
        let path = try temporaryFile("x.npy", Tensor(shape: [3, 28], repeating: 0).npyData())
        let image = input([.symbol("N"), .value(28), .value(28), .value(1)])
        do {
            _ = try InputLoader.load(.file(path), for: image)
            Issue.record("a wrong shape must not load")
        } catch let error as InputError {
            #expect(error.description == "\(path): shape [3, 28] does not fit input 'image' [N, 28, 28, 1]")
        }
    }

    @Test func npyMissingBatchIsAdded() throws {
        let path = try temporaryFile("x.npy", arange([28, 28, 1]).npyData())
        let t = try InputLoader.load(.file(path), for: input([.symbol("N"), .value(28), .value(28), .value(1)]))
        #expect(t.shape == [1, 28, 28, 1])
    }

    @Test func npyDTypeIsChecked() throws {
        let path = try temporaryFile("x.npy", Tensor(shape: [1, 2], scalars: [1.0, 2.0]).npyData())
        #expect(throws: InputError.dtypeMismatch(file: path, dtype: .float64, input: "image", expected: .float32)) {
            try InputLoader.load(.file(path), for: input([.value(1), .value(2)]))
        }
    }

    @Test func npyWithLyingHeaderIsOneLineError() throws {
        var data = Tensor(shape: [2], floats: [1, 2]).npyData()
        data.removeLast(4)
        let path = try temporaryFile("short.npy", data)
        #expect(throws: InputError.npy(.truncatedData(file: path, expected: 8, available: 4))) {
            try InputLoader.load(.file(path), for: input([.value(2)]))
        }
    }

    @Test func specsResolveAgainstGraphInputs() throws {
        let one = Graph(name: "g", inputs: [input([.symbol("N"), .value(3)], name: "x")])
        let tensors = try InputLoader.tensors(for: one, specs: [InputSpec(parsing: "zeros")])
        #expect(tensors["x"]?.shape == [1, 3])
        let random = try InputLoader.tensors(for: one, specs: [InputSpec(parsing: "x=random")])["x"]!.floats
        #expect(random.allSatisfy { (0..<1).contains($0) } && Set(random).count == 3)
        let two = Graph(name: "g", inputs: [input([.value(1)], name: "a"), input([.value(1)], name: "b")])
        #expect(throws: InputError.needsName(inputs: ["a", "b"])) {
            try InputLoader.tensors(for: two, specs: [InputSpec(parsing: "zeros")])
        }
        #expect(throws: InputError.unknownInput(name: "c", inputs: ["a", "b"])) {
            try InputLoader.tensors(for: two, specs: [InputSpec(parsing: "c=zeros")])
        }
        #expect(throws: InputError.missing(name: "b", type: "[1]")) {
            try InputLoader.tensors(for: two, specs: [InputSpec(parsing: "a=zeros")])
        }
    }
}

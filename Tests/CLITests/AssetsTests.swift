import Foundation
import StrataCore
import Testing

/// The bundled models in Assets/ (made by Tools/make_assets.sh): the index is sound, and `strata run`
/// reproduces what Keras and onnxruntime computed for every sample, in every file form.
@Suite("Bundled assets")
struct AssetsTests {
    static let digitsCNN = ["digits_cnn.onnx", "digits_cnn.h5", "digits_cnn.keras"]

    @Test("library.json is valid and every file it names exists")
    func libraryIsValid() throws {
        let entries = try BundledAssets.library()
        #expect(!entries.isEmpty)
        #expect(Set(entries.map(\.name)).count == entries.count, "entry names must be unique")
        #expect(Set(entries.map(\.file)).isSuperset(of: Self.digitsCNN), "the digits CNN must be listed in every form")
        for entry in entries {
            #expect(BundledAssets.exists(entry.file), "\(entry.name): missing \(entry.file)")
            #expect(!entry.description.isEmpty && !entry.description.contains("\n"), "\(entry.name): description")
            #expect(entry.trained == (entry.accuracy != nil), "\(entry.name): accuracy iff trained")
            if let accuracy = entry.accuracy { #expect((0.9...1).contains(accuracy), "\(entry.name): accuracy \(accuracy)") }
            if let labels = entry.labels { #expect(BundledAssets.exists(labels), "\(entry.name): missing \(labels)") }
            #expect(entry.input.shape.count == 4 && entry.input.shape.allSatisfy { $0 > 0 }, "\(entry.name): input shape")
            #expect(["NCHW", "NHWC"].contains(entry.input.layout), "\(entry.name): layout \(entry.input.layout)")
            #expect(entry.format == Self.format(ofFile: entry.file), "\(entry.name): format \(entry.format)")
            #expect(!entry.samples.isEmpty, "\(entry.name): no samples")
            for sample in entry.samples {
                #expect(BundledAssets.exists(sample), "\(entry.name): missing \(sample)")
            }
        }
    }

    static func format(ofFile file: String) -> ModelFormat? {
        let byExtension: [String: ModelFormat] = ["onnx": .onnx, "h5": .kerasH5, "keras": .kerasArchive]
        return byExtension[URL(fileURLWithPath: file).pathExtension]
    }

    @Test("every sample PNG is 8-bit and has the size and channels its models take")
    func samplesMatchTheirModels() throws {
        for entry in try BundledAssets.library() {
            let shape = entry.input.shape
            let (height, width, channels) = entry.input.layout == "NCHW"
                ? (shape[2], shape[3], shape[1]) : (shape[1], shape[2], shape[3])
            for sample in entry.samples {
                let header = try PNGHeader(url: BundledAssets.url(sample))
                #expect(header.bitDepth == 8, "\(sample): bit depth \(header.bitDepth)")
                #expect(header.width == width && header.height == height, "\(sample) for \(entry.file)")
                #expect(header.channels == channels, "\(sample): \(header.channels) channels, \(entry.file) takes \(channels)")
            }
        }
    }

    @Test("labels/digits.txt names the ten digits")
    func digitLabels() throws {
        let text = try String(contentsOf: BundledAssets.url("labels/digits.txt"), encoding: .utf8)
        let lines: [String] = text.split(separator: "\n").map { String($0) }
        let digits: [String] = (0..<10).map { String($0) }
        #expect(lines == digits)
    }

    @Test("the reference probabilities agree between Keras and onnxruntime and name the right digit")
    func referencesAreConsistent() throws {
        let expected = try BundledAssets.expected()
        #expect(Set(expected.keys) == Set(try BundledAssets.library().map(\.model)))
        for (model, rows) in expected {
            for row in rows {
                #expect(maxAbsDifference(row.keras, row.onnxruntime) <= 1e-5, "\(model) \(row.sample)")
                if let label = row.label { #expect(argmax(row.keras) == label, "\(model) \(row.sample)") }
            }
        }
    }

    @Test("the digits CNN classifies every sample digit, ONNX and Keras forms agree to 1e-5", arguments: 0..<10)
    func digitsCNNClassifies(digit: Int) throws {
        let sample = "samples/digit_\(digit).png"
        let reference = try #require(try BundledAssets.expected()["digits_cnn"]?.first { $0.sample == sample })
        var outputs: [String: [Float]] = [:]
        for file in Self.digitsCNN {
            let probabilities = try StrataRun.probabilities(model: BundledAssets.url(file), input: BundledAssets.url(sample))
            #expect(probabilities.count == 10, "\(file): \(probabilities.count) outputs")
            #expect(argmax(probabilities) == digit, "\(file) on \(sample): \(probabilities)")
            #expect(maxAbsDifference(probabilities, reference.keras) <= 1e-5, "\(file) on \(sample) vs Keras")
            outputs[file] = probabilities
        }
        let onnx = try #require(outputs["digits_cnn.onnx"])
        for file in Self.digitsCNN.dropFirst() {
            let keras = try #require(outputs[file])
            #expect(maxAbsDifference(onnx, keras) <= 1e-5, "digits_cnn.onnx vs \(file) on \(sample)")
        }
    }

    @Test("every bundled model file reproduces its reference outputs", arguments: (try? BundledAssets.library()) ?? [])
    func modelReproducesReferences(entry: LibraryEntry) throws {
        let rows = try #require(try BundledAssets.expected()[entry.model], "no references for \(entry.model)")
        #expect(rows.map(\.sample) == entry.samples)
        for row in rows {
            let probabilities = try StrataRun.probabilities(model: BundledAssets.url(entry.file), input: BundledAssets.url(row.sample))
            #expect(maxAbsDifference(probabilities, row.keras) <= 1e-5, "\(entry.file) on \(row.sample)")
            if let label = row.label { #expect(argmax(probabilities) == label, "\(entry.file) on \(row.sample)") }
        }
    }
}

private func argmax(_ values: [Float]) -> Int? {
    values.indices.max { values[$0] < values[$1] }
}

private func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

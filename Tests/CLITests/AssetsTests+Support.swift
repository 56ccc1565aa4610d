import Foundation
import StrataCore
import Testing

extension AssetsTests {
    /// One entry of Assets/library.json.
    struct LibraryEntry: Decodable, Sendable, CustomTestStringConvertible {
        struct Input: Decodable, Sendable {
            var name: String
            var shape: [Int]
            var layout: String
        }
        var name: String
        var model: String
        var file: String
        var format: ModelFormat
        var description: String
        var input: Input
        var samples: [String]
        var labels: String?
        var trained: Bool
        var accuracy: Double?

        var testDescription: String { file }
    }

    /// One sample's reference output in Assets/samples/expected.json.
    struct Reference: Decodable, Sendable {
        var sample: String
        var label: Int?
        var keras: [Float]
        var onnxruntime: [Float]
    }

    /// Assets/ of this checkout, found from this file's path.
    enum BundledAssets {
        static let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Assets")

        static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

        static func exists(_ relative: String) -> Bool {
            FileManager.default.fileExists(atPath: url(relative).path)
        }

        static func library() throws -> [LibraryEntry] {
            try JSONDecoder().decode([LibraryEntry].self, from: Data(contentsOf: url("library.json")))
        }

        static func expected() throws -> [String: [Reference]] {
            struct File: Decodable { var models: [String: [Reference]] }
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url("samples/expected.json"))).models
        }
    }

    /// Width, height, bit depth and channel count from a PNG's IHDR chunk.
    struct PNGHeader {
        var width: Int, height: Int, bitDepth: Int, channels: Int

        init(url: URL) throws {
            let bytes = [UInt8](try Data(contentsOf: url).prefix(26))
            let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            guard bytes.count == 26, bytes.starts(with: signature), bytes[12..<16].elementsEqual("IHDR".utf8) else {
                throw AssetsFailure("\(url.lastPathComponent): not a PNG")
            }
            func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            width = be32(16)
            height = be32(20)
            bitDepth = Int(bytes[24])
            // Colour types: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
            channels = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4][Int(bytes[25])] ?? 0
        }
    }

    struct AssetsFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension AssetsTests {
    /// Runs the built `strata` binary (env STRATA_BIN, set by `make test`).
    enum StrataRun {
        /// Exit status, standard output and standard error of `strata arguments...`.
        static func strata(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
            let run = try Runner().strata(arguments)
            return (run.status, run.stdoutData, run.stderr)
        }

        private struct Runner: StrataCLITest {}

        /// The model's output probabilities for one input, from `strata run --json --top 1000`: the
        /// output named `probs` (the ONNX graph output and the Keras layer share that name), with every
        /// class in its top list.
        static func probabilities(model: URL, input: URL) throws -> [Float] {
            let run = try strata(["run", model.path, "--input", input.path, "--top", "1000", "--json"])
            let what = "strata run \(model.lastPathComponent) --input \(input.lastPathComponent)"
            guard run.status == 0 else { throw AssetsFailure("\(what) exited \(run.status): \(run.stderr)") }
            struct Report: Decodable {
                struct Entry: Decodable { var index: Int; var value: Double }
                struct Output: Decodable { var name: String; var shape: [Int]; var top: [Entry] }
                var outputs: [Output]
            }
            let report: Report
            do { report = try JSONDecoder().decode(Report.self, from: run.stdout) } catch {
                throw AssetsFailure("\(what) --json: unexpected output (\(error)): \(String(decoding: run.stdout, as: UTF8.self))")
            }
            guard let probs = report.outputs.first(where: { $0.name == "probs" }) else {
                throw AssetsFailure("\(what): no output named probs")
            }
            let count = probs.shape.reduce(1, *)
            var values = [Float](repeating: .nan, count: count)
            for entry in probs.top where values.indices.contains(entry.index) { values[entry.index] = Float(entry.value) }
            guard probs.top.count == count, !values.contains(where: \.isNaN) else {
                throw AssetsFailure("\(what): the top list does not cover all \(count) outputs")
            }
            return values
        }
    }
}

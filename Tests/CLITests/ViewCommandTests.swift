import Foundation
import Testing

/// `strata scene`, `strata render`, `strata snapshot` and the viewer's start-up errors, through the binary.
@Suite(.serialized) struct ViewCommandTests: StrataCLITest {
    @Test func viewerWithoutDisplayExplainsAndExits2() throws {
        let r = try strata(["view", Self.asset("digits_cnn.onnx")], environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("strata: no display"))
        #expect(r.stderr.contains("strata render"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func sceneJSONHasBlocksEdgesAndOpenSlabs() throws {
        let r = try strata(["scene", Self.asset("digits_cnn.h5"), "--input", Self.asset("samples/digit_3.png"),
                            "--expand", "conv1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Doc: Decodable {
            struct Item: Decodable { var kind: String; var layer: String; var channel: Int?; var position: [Float]?; var size: [Float]? }
            var items: [Item]
        }
        let data = Data(r.stdout.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["camera"] != nil)
        let items = try #require(object["items"] as? [[String: Any]])
        let kinds = Set(items.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["block", "edge", "slab", "label"]))
        let slabs = items.filter { $0["kind"] as? String == "slab" && $0["layer"] as? String == "conv1" }
        #expect(slabs.count == 6, "conv1 has 6 channels")
        #expect(Set(slabs.compactMap { $0["channel"] as? Int }) == Set(0..<6))
        #expect(items.allSatisfy { $0["position"] != nil && $0["size"] != nil })
    }

    @Test func sceneRejectsUnknownLayer() throws {
        let r = try strata(["scene", Self.asset("digits_cnn.onnx"), "--expand", "no_such_layer", "--json"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no_such_layer"))
    }

    @Test func renderWithoutDisplayWritesAPNG() throws {
        let dir = try temporaryFolder()
        let out = dir.appendingPathComponent("view.png").path
        let r = try strata(["render", Self.asset("digits_cnn.onnx"), "--input", Self.asset("samples/digit_3.png"),
                            "--expand", "digits_cnn_1/conv1_1/Relu", "--size", "320x200", "--out", out],
                           environment: ["DISPLAY": nil])
        #expect(r.status == 0, "\(r.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func snapshotRendersTheSamePixelsAsTheModel() throws {
        let dir = try temporaryFolder()
        let common = ["--input", Self.asset("samples/digit_5.png"), "--expand", "conv2", "--view", "stack"]
        let snapshot = dir.appendingPathComponent("digits.strata").path
        let s = try strata(["snapshot", Self.asset("digits_cnn.h5")] + common + ["--out", snapshot])
        #expect(s.status == 0, "\(s.stderr)")
        let direct = dir.appendingPathComponent("direct.png").path, stored = dir.appendingPathComponent("stored.png").path
        let a = try strata(["render", Self.asset("digits_cnn.h5")] + common + ["--size", "400x250", "--out", direct])
        let b = try strata(["render", snapshot, "--size", "400x250", "--out", stored])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: direct)) == Data(contentsOf: URL(fileURLWithPath: stored)))
        let rerun = try strata(["run", snapshot])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("largest difference"))
    }

    @Test func tamperedSnapshotIsRefused() throws {
        let dir = try temporaryFolder()
        let snapshot = dir.appendingPathComponent("x.strata")
        let s = try strata(["snapshot", Self.asset("digits_cnn.onnx"), "--input", "zeros", "--out", snapshot.path])
        #expect(s.status == 0, "\(s.stderr)")
        var bytes = try Data(contentsOf: snapshot)
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: snapshot)
        let r = try strata(["render", snapshot.path, "--out", dir.appendingPathComponent("y.png").path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("strata: ") && r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("y.png").path))
    }
}

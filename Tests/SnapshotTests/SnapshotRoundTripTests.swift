import Foundation
import Runtime
import Scene
import StrataCore
import Testing
@testable import Snapshot

struct SnapshotRoundTripTests {
    @Test(arguments: ["digits_cnn.onnx", "digits_cnn.h5"])
    func saveThenOpenIsExact(file: String) throws {
        let live = try LiveRun.make(file)
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let url = folder.file("cnn.strata")
        try SnapshotFile.write(live.draft(), to: url)
        let opened = try SnapshotFile.open(url)

        #expect(opened.info.modelFile == file)
        #expect(opened.info.activationsDType == "float32")
        #expect(!opened.isHalf && opened.note == nil)
        #expect(opened.model.path == url.path)
        #expect(opened.model.graph.nodes == live.model.graph.nodes)
        #expect(opened.inputs.keys.sorted() == live.inputs.keys.sorted())
        for (name, tensor) in live.inputs { #expect(opened.inputs[name] == tensor) }
        #expect(opened.activations.order == live.trace.order)
        for name in live.trace.order { #expect(opened.activations.tensor(named: name) == live.trace.tensor(named: name)) }
        #expect(opened.view == live.view)
        #expect(opened.inputDescription == "random")

        let fromLive = live.scene(activations: TraceActivationSource(live.trace), state: live.view.state)
        let fromSnapshot = live.scene(activations: opened.activations, state: opened.viewState)
        #expect(fromSnapshot == fromLive)
        #expect(fromSnapshot.items.contains { $0.tensor != nil })
    }

    @Test func halfStoresFloat16AndReadsFloat32() throws {
        let live = try LiveRun.make()
        let folder = try TempFolder()
        defer { folder.cleanup() }
        try SnapshotFile.write(live.draft(), to: folder.file("full.strata"))
        try SnapshotFile.write(live.draft(half: true), to: folder.file("half.strata"))
        let opened = try SnapshotFile.open(folder.file("half.strata"))
        #expect(opened.isHalf)
        #expect(opened.note == "activations stored as float16")
        var halved = 0
        for name in live.trace.order {
            let original = try #require(live.trace.tensor(named: name))
            let stored = try #require(opened.activations.tensor(named: name))
            guard original.dtype.isFloatingPoint else {
                #expect(stored == original, "integer tensors keep their type")
                continue
            }
            #expect(stored.dtype == .float32 && stored.shape == original.shape)
            #expect(stored == original.converted(to: .float16).converted(to: .float32))
            halved += 1
        }
        #expect(halved > 5)
        for (name, tensor) in live.inputs { #expect(opened.inputs[name] == tensor, "inputs keep full precision") }
        let sizes = try ["full", "half"].map {
            try FileManager.default.attributesOfItem(atPath: folder.file("\($0).strata").path)[.size] as! Int
        }
        #expect(sizes[1] < sizes[0])
    }

    @Test func storesTheModelUntouchedAndAManifestLikeTheDump() throws {
        let live = try LiveRun.make()
        let folder = try TempFolder()
        defer { folder.cleanup() }
        let url = folder.file("cnn.strata")
        try SnapshotFile.write(live.draft(), to: url)
        let archive = try SafeArchive(url: url)
        let model = try archive.read("model/digits_cnn.onnx", limit: 1 << 30)
        #expect(model == (try Data(contentsOf: live.modelURL)))
        let manifest = try JSONDecoder().decode(ActivationManifest.self,
                                                from: try archive.read("activations/manifest.json", limit: 1 << 20))
        #expect(manifest.complete && manifest.tensors.count == live.trace.order.count)
        for entry in manifest.tensors { #expect(archive.contains("activations/" + entry.file)) }
        #expect(!FileManager.default.fileExists(atPath: url.path + ".partial"))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(left == ["cnn.strata"])
    }
}

struct SnapshotDraftTests {
    @Test func inputsComeFromTheTraceWhenNotGiven() throws {
        let live = try LiveRun.make()
        let draft = SnapshotDraft(modelFile: live.modelURL, model: live.model, trace: live.trace, view: live.view,
                                  strataVersion: "test")
        #expect(draft.inputs.keys.sorted() == live.inputs.keys.sorted())
        for (name, tensor) in live.inputs { #expect(draft.inputs[name] == tensor) }
    }
}

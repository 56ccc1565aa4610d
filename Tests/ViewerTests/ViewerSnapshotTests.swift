import Foundation
import Runtime
import Scene
import StrataCore
import Testing
@testable import Viewer

/// Save snapshot, open it, Run it again: the viewer's side of `.strata` files, on the bundled digits CNN.
@Suite struct ViewerSnapshotTests {
    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Assets")

    private func runDocument() throws -> ViewerDocument {
        try ViewerDocument.open(path: Self.assets.appendingPathComponent("digits_cnn.onnx").path,
                                inputs: [InputSpec(parsing: Self.assets.appendingPathComponent("samples/digit_3.png").path)])
    }

    @Test func savedSnapshotOpensWithItsViewAndRunRepeatsTheStoredInput() throws {
        let controller = ViewerController()
        let document = try runDocument()
        let conv = try #require(document.model.graph.layers.first { $0.op == "Conv" }?.name)
        controller.show(document, expanded: [conv])
        controller.apply(.orbit(dx: 40, dy: 10))
        controller.viewState.colormap = .diverging
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-\(UUID().uuidString).strata")
        defer { try? FileManager.default.removeItem(at: url) }
        try controller.saveSnapshot(to: url)

        let opened = try ViewerDocument.open(path: url.path, inputs: [])
        #expect(opened.trace == nil, "a snapshot shows stored activations without running")
        #expect(opened.activations != nil)
        #expect(opened.storedView?.state.expanded == [conv])
        #expect(opened.storedView?.state.colormap == .diverging)
        #expect(opened.inputTensors.keys.sorted() == document.inputTensors.keys.sorted())

        var rerun = opened
        try rerun.run(tensors: opened.inputTensors)
        let output = try #require(document.model.graph.outputs.first?.name)
        let before = try #require(document.trace?.tensor(named: output)?.floats)
        let after = try #require(rerun.trace?.tensor(named: output)?.floats)
        #expect(before == after, "Run on a snapshot re-runs its stored input")
    }

    @Test func snapshotWithoutARunCannotBeSaved() throws {
        let controller = ViewerController()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString).strata")
        #expect(throws: SnapshotSaveError.self) { try controller.saveSnapshot(to: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func rerunKeepsCameraOpenLayersAndSelection() throws {
        let controller = ViewerController()
        let document = try runDocument()
        let conv = try #require(document.model.graph.layers.first { $0.op == "Conv" }?.name)
        controller.show(document, expanded: [conv])
        controller.viewState.selection = Selection(layer: conv, channel: 2)
        controller.apply(.orbit(dx: 60, dy: -15))
        for _ in 0..<200 { _ = controller.update(dt: 0.05) }
        let pose = controller.camera.pose

        var rerun = document
        try rerun.run(inputs: [InputSpec(name: nil, source: .zeros)])
        controller.replaceDocumentKeepingView(rerun)
        #expect(controller.camera.pose == pose)
        #expect(controller.viewState.expanded == [conv])
        #expect(controller.viewState.selection == Selection(layer: conv, channel: 2))
        #expect(controller.document?.inputDescription == "zeros")
    }
}

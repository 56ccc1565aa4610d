import Testing
@testable import Viewer

@Suite struct InputRouterTests {
    @Test func pressAndReleaseInPlaceIsAClick() {
        var router = InputRouter()
        #expect(router.route(.mouseButton(.left, pressed: true, x: 100, y: 100, time: 0)) == [])
        #expect(router.route(.mouseMoved(x: 101, y: 101)) == [])
        #expect(router.route(.mouseButton(.left, pressed: false, x: 101, y: 101, time: 0.1)) == [.click(x: 101, y: 101)])
    }

    @Test func leftDragOrbitsAndIsNoClick() {
        var router = InputRouter()
        _ = router.route(.mouseButton(.left, pressed: true, x: 100, y: 100, time: 0))
        #expect(router.route(.mouseMoved(x: 120, y: 100)) == [.orbit(dx: 20, dy: 0)])
        #expect(router.route(.mouseMoved(x: 125, y: 90)) == [.orbit(dx: 5, dy: -10)])
        #expect(router.route(.mouseButton(.left, pressed: false, x: 125, y: 90, time: 0.5)) == [])
    }

    @Test(arguments: [MouseButton.right, .middle])
    func rightAndMiddleDragPan(button: MouseButton) {
        var router = InputRouter()
        _ = router.route(.mouseButton(button, pressed: true, x: 10, y: 10, time: 0))
        #expect(router.route(.mouseMoved(x: 10, y: 30)) == [.pan(dx: 0, dy: 20)])
    }

    @Test func twoQuickClicksMakeADoubleClick() {
        var router = InputRouter()
        _ = router.route(.mouseButton(.left, pressed: true, x: 50, y: 50, time: 1.0))
        #expect(router.route(.mouseButton(.left, pressed: false, x: 50, y: 50, time: 1.05)) == [.click(x: 50, y: 50)])
        _ = router.route(.mouseButton(.left, pressed: true, x: 51, y: 50, time: 1.2))
        #expect(router.route(.mouseButton(.left, pressed: false, x: 51, y: 50, time: 1.25)) == [.doubleClick(x: 51, y: 50)])
        _ = router.route(.mouseButton(.left, pressed: true, x: 51, y: 50, time: 3.0))
        #expect(router.route(.mouseButton(.left, pressed: false, x: 51, y: 50, time: 3.05)) == [.click(x: 51, y: 50)])
    }

    @Test func wheelZoomsTowardThePointer() {
        var router = InputRouter()
        #expect(router.route(.scrolled(dx: 0, dy: 1, x: 300, y: 200)) == [.zoom(steps: 1, x: 300, y: 200)])
        #expect(router.route(.scrolled(dx: 1, dy: 0, x: 300, y: 200)) == [])
    }

    @Test func movingWithoutButtonsHovers() {
        var router = InputRouter()
        #expect(router.route(.mouseMoved(x: 7, y: 8)) == [.hover(x: 7, y: 8)])
    }

    @Test func keysActOnPressOnly() {
        var router = InputRouter()
        #expect(router.route(.key(.letter("f"), pressed: true)) == [.key(.letter("f"))])
        #expect(router.route(.key(.letter("f"), pressed: false)) == [])
        #expect(router.route(.filesDropped(["/tmp/a.onnx"])) == [.open(path: "/tmp/a.onnx")])
    }
}

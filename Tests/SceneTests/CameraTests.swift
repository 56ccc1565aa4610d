import Foundation
import Testing

@testable import Scene

@Suite struct CameraTests {
    @Test func orbitClampsPitch() {
        var c = Camera()
        c.orbit(dYaw: 0.5, dPitch: 10)
        #expect(c.goal.pitch == Camera.pitchLimit)
        #expect(abs(c.goal.yaw - 0.5) < 1e-6)
        c.orbit(dYaw: 0, dPitch: -20)
        #expect(c.goal.pitch == -Camera.pitchLimit)
    }

    @Test func zoomIsExponentialAndKeepsThePointUnderTheCursor() {
        var c = Camera(pose: CameraPose(target: .zero, yaw: 0.3, pitch: 0.2, distance: 10))
        let point = Vec3(2, 1, 0)
        let viewport: (width: Float, height: Float) = (800, 600)
        let before = c.project(point, viewport: viewport)!
        c.zoom(by: 0.5, toward: point)
        c.snap()
        #expect(abs(c.pose.distance - 10 * exp(-0.5)) < 1e-4)
        let after = c.project(point, viewport: viewport)!
        #expect(abs(before.x - after.x) < 0.05 && abs(before.y - after.y) < 0.05)
        c.zoom(by: -0.5)
        c.snap()
        #expect(abs(c.pose.distance - 10) < 1e-3)
    }

    @Test func rayThroughTheCentrePixelHitsTheTarget() {
        var c = Camera(pose: CameraPose(target: Vec3(3, -1, 2), yaw: 0.7, pitch: -0.4, distance: 12))
        c.snap()
        let ray = c.ray(throughPixel: (400, 300), viewport: (800, 600))
        let toTarget = (c.pose.target - ray.origin)
        #expect((ray.direction - toTarget.normalized).length < 1e-5)
        #expect(abs(toTarget.length - 12) < 1e-4)
        let centre = c.project(c.pose.target, viewport: (800, 600))!
        #expect(abs(centre.x - 400) < 1e-3 && abs(centre.y - 300) < 1e-3)
    }

    @Test func viewMatrixMapsTheEyeToTheOriginAndTheTargetAhead() {
        let c = Camera(pose: CameraPose(target: Vec3(1, 2, 3), yaw: -0.4, pitch: 0.3, distance: 5))
        let eye = c.viewMatrix.transformPoint(c.eye)
        #expect(eye.length < 1e-4)
        let target = c.viewMatrix.transformPoint(c.pose.target)
        #expect(abs(target.z + 5) < 1e-4 && abs(target.x) < 1e-4 && abs(target.y) < 1e-4)
        let p = c.projectionMatrix(aspect: 1).transformPoint(target)
        #expect(abs(p.x) < 1e-5 && abs(p.y) < 1e-5 && p.z > -1 && p.z < 1)
    }

    @Test func panMovesTheTargetAcrossTheView() {
        var c = Camera(pose: CameraPose(target: .zero, yaw: 0, pitch: 0, distance: 10))
        c.pan(dx: 0.1, dy: 0)
        #expect(c.goal.target.x < 0 && abs(c.goal.target.y) < 1e-6 && abs(c.goal.target.z) < 1e-6)
    }

    @Test func frameAllShowsTheWholeBox() {
        let box = AABB(min: Vec3(-10, -2, -3), max: Vec3(30, 4, 1))
        let c = Camera.framing(box)
        #expect(c.pose.target == box.center)
        for corner in [box.min, box.max, Vec3(box.min.x, box.max.y, box.max.z), Vec3(box.max.x, box.min.y, box.min.z)] {
            let p = c.project(corner, viewport: (600, 600))!
            let onScreen = (0...600).contains(p.x) && (0...600).contains(p.y)
            #expect(onScreen, "\(corner) off screen at \(p)")
        }
    }

    @Test func updateConvergesSmoothly() {
        var c = Camera(pose: CameraPose(target: .zero, yaw: 0, pitch: 0, distance: 10))
        c.goal = CameraPose(target: Vec3(5, 0, 0), yaw: 1, pitch: 0.5, distance: 2)
        let moving = c.update(dt: 1.0 / 60)
        #expect(moving)
        #expect(c.pose.target.x > 0 && c.pose.target.x < 5)
        var frames = 0
        while c.update(dt: 1.0 / 60), frames < 1000 { frames += 1 }
        #expect(c.pose == c.goal)
        #expect(frames > 5 && frames < 200)
    }

    @Test func focusFramesOneItem() {
        var c = Camera()
        let item = SceneItem(kind: .block, layer: "conv", position: Vec3(10, 0, 0), size: Vec3(2, 2, 2))
        c.focus(on: item)
        c.snap()
        #expect(c.pose.target == item.position)
        #expect(c.pose.distance < 5)
    }
}

import Foundation

extension Camera {
    /// Turns the goal around its target by `dYaw` and `dPitch` radians; pitch stays within ±`pitchLimit`.
    public mutating func orbit(dYaw: Float, dPitch: Float) {
        goal.yaw += dYaw
        goal.pitch = min(max(goal.pitch + dPitch, -Camera.pitchLimit), Camera.pitchLimit)
    }

    /// Zooms by `exp(-amount)` (positive zooms in), keeping `point` (e.g. under the cursor) fixed on the
    /// screen: the target moves towards `point` by the same fraction as the distance shrinks.
    public mutating func zoom(by amount: Float, toward point: Vec3? = nil) {
        let factor = exp(-amount)
        let newDistance = min(
            max(goal.distance * factor, Camera.distanceRange.lowerBound), Camera.distanceRange.upperBound)
        let applied = newDistance / goal.distance
        if let point {
            goal.target = point + (goal.target - point) * applied
        }
        goal.distance = newDistance
    }

    /// Moves the goal's target across the view: `dx`, `dy` in fractions of the visible height at the target
    /// (positive moves the scene right/up on the screen, i.e. the target left/down).
    public mutating func pan(dx: Float, dy: Float) {
        let visible = 2 * goal.distance * tan(fovY / 2)
        let g = Camera(pose: goal, fovY: fovY, near: near, far: far)
        goal.target = goal.target - g.right * (dx * visible) - g.up * (dy * visible)
    }

    /// Frames `bounds`: the target is its centre and the distance shows all of it, from the default angle
    /// unless `keepAngles`.
    public mutating func frame(_ bounds: AABB, keepAngles: Bool = false) {
        guard !bounds.isEmpty else { return }
        let radius = max(bounds.size.length / 2, 0.1)
        goal.target = bounds.center
        goal.distance = min(radius / sin(fovY / 2) * 1.05, Camera.distanceRange.upperBound)
        if !keepAngles {
            goal.yaw = Camera.defaultYaw
            goal.pitch = Camera.defaultPitch
        }
    }

    /// Focuses on `item`: targets its centre and comes close enough to fill most of the view.
    public mutating func focus(on item: SceneItem) {
        frame(item.bounds, keepAngles: true)
    }

    /// Jumps to the goal with no transition.
    public mutating func snap() { pose = goal }

    /// Moves `pose` towards `goal` with a critically damped exponential (time constant `halfLife` seconds);
    /// returns true while still moving.
    @discardableResult
    public mutating func update(dt: Float, halfLife: Float = 0.08) -> Bool {
        let t = 1 - pow(0.5, max(dt, 0) / max(halfLife, 1e-4))
        pose.target = Vec3.mix(pose.target, goal.target, t)
        pose.yaw += (goal.yaw - pose.yaw) * t
        pose.pitch += (goal.pitch - pose.pitch) * t
        pose.distance = exp(log(pose.distance) + (log(goal.distance) - log(pose.distance)) * t)
        let moving =
            (pose.target - goal.target).length > 1e-4 * goal.distance || abs(goal.yaw - pose.yaw) > 1e-4
            || abs(goal.pitch - pose.pitch) > 1e-4 || abs(goal.distance - pose.distance) > 1e-4 * goal.distance
        if !moving { pose = goal }
        return moving
    }

    /// Yaw of a framed scene: a three-quarter view from the front-right.
    public static let defaultYaw: Float = -25 * .pi / 180
    /// Pitch of a framed scene: a little from above.
    public static let defaultPitch: Float = 20 * .pi / 180

    /// A camera framing `bounds` from the default angle, with no transition pending.
    public static func framing(_ bounds: AABB) -> Camera {
        var c = Camera()
        c.frame(bounds)
        c.snap()
        return c
    }
}

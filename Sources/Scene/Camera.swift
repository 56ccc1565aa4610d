import Foundation

/// Where the camera is: it looks at `target` from `distance` away, turned by `yaw` about +y and raised by
/// `pitch` (radians). Yaw 0, pitch 0 looks along -z.
public struct CameraPose: Sendable, Equatable, Codable {
    public var target: Vec3
    public var yaw: Float
    public var pitch: Float
    public var distance: Float

    public init(target: Vec3 = .zero, yaw: Float = 0, pitch: Float = 0, distance: Float = 10) {
        self.target = target
        self.yaw = yaw
        self.pitch = pitch
        self.distance = distance
    }
}

/// An orbit camera with smooth transitions: commands move `goal`, `update(dt:)` moves `pose` towards it.
public struct Camera: Sendable, Equatable, Codable {
    /// The pose used for drawing now.
    public var pose: CameraPose
    /// The pose being moved towards.
    public var goal: CameraPose
    /// Vertical field of view, radians.
    public var fovY: Float
    /// Near and far clip distances.
    public var near: Float
    public var far: Float

    /// Largest |pitch|, so the camera never flips over the pole.
    public static let pitchLimit: Float = 89 * .pi / 180
    /// Closest and farthest distances from the target.
    public static let distanceRange: ClosedRange<Float> = 0.05...100_000

    public init(pose: CameraPose = CameraPose(), fovY: Float = 45 * .pi / 180, near: Float = 0.05, far: Float = 10_000)
    {
        self.pose = pose
        self.goal = pose
        self.fovY = fovY
        self.near = near
        self.far = far
    }

    // MARK: - Derived

    /// The eye position of `pose`.
    public var eye: Vec3 { Camera.eye(of: pose) }

    static func eye(of p: CameraPose) -> Vec3 {
        let offset = Vec3(sin(p.yaw) * cos(p.pitch), sin(p.pitch), cos(p.yaw) * cos(p.pitch))
        return p.target + offset * p.distance
    }

    /// Unit vector from the eye to the target.
    public var forward: Vec3 { (pose.target - eye).normalized }
    /// Unit vector to the right of the view.
    public var right: Vec3 { forward.cross(Vec3(0, 1, 0)).normalized }
    /// Unit vector up in the view.
    public var up: Vec3 { right.cross(forward) }

    /// The view matrix (world → eye), column-major.
    public var viewMatrix: Mat4 { Mat4.lookAt(eye: eye, target: pose.target, up: Vec3(0, 1, 0)) }

    /// The projection matrix for a viewport of `aspect` = width / height, column-major, with `clipRange`.
    public func projectionMatrix(aspect: Float) -> Mat4 {
        let clip = clipRange
        return Mat4.perspective(fovY: fovY, aspect: max(aspect, 1e-6), near: clip.near, far: clip.far)
    }

    /// The near and far planes used: `near`/`far` scaled with the pose's distance (never nearer than `near`
    /// at distance 25, never farther than `far` × distance / 25), so depth precision follows the zoom.
    public var clipRange: (near: Float, far: Float) {
        let scale = max(pose.distance / 25, 1)
        return (near * scale, far * scale)
    }

    // MARK: - Screen ↔ world

    /// The ray from the eye through pixel (`x`, `y`) of a `width`×`height` viewport (origin top-left, y down).
    public func ray(throughPixel pixel: (x: Float, y: Float), viewport: (width: Float, height: Float)) -> Ray {
        let ndcX = 2 * pixel.x / viewport.width - 1
        let ndcY = 1 - 2 * pixel.y / viewport.height
        let tanHalf = tan(fovY / 2)
        let aspect = viewport.width / max(viewport.height, 1e-6)
        let dir = forward + right * (ndcX * tanHalf * aspect) + up * (ndcY * tanHalf)
        return Ray(origin: eye, direction: dir)
    }

    /// The pixel (origin top-left) where world point `p` appears, or nil when it is behind the eye.
    public func project(_ p: Vec3, viewport: (width: Float, height: Float)) -> (x: Float, y: Float)? {
        let clip = projectionMatrix(aspect: viewport.width / viewport.height) * viewMatrix
        let v = p - eye
        guard v.dot(forward) > 0 else { return nil }
        let ndc = clip.transformPoint(p)
        return ((ndc.x + 1) / 2 * viewport.width, (1 - ndc.y) / 2 * viewport.height)
    }
}

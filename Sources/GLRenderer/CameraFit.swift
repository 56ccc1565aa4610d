import Foundation
import Scene

/// Frames a scene tightly for one viewport: the camera keeps its angles, and its target and distance
/// are chosen so every item's box fills the view with a margin. (`Camera.frame` fits a bounding
/// sphere, which leaves long pipelines small in a wide image.)
public enum CameraFit {
    /// Moves `camera` (goal and pose) so the boxes of `scene`'s items fit `margin` of a viewport of
    /// `aspect` = width / height.
    public static func fit(_ camera: inout Camera, to scene: Scene, aspect: Float, margin: Float = 0.9) {
        // Layer labels count (so long names at the ends are not cut off); numbers on slabs lie inside them.
        let points = scene.items.filter { $0.kind != .label || $0.channel == nil }.flatMap { corners(of: $0.bounds) }
        guard !points.isEmpty else { return }
        camera.snap()
        for _ in 0..<4 {
            camera.pose.distance = fittingDistance(camera, points: points, aspect: aspect, margin: margin)
            recentre(&camera, points: points, aspect: aspect)
        }
        camera.pose.distance = fittingDistance(camera, points: points, aspect: aspect, margin: margin)
        camera.goal = camera.pose
    }

    private static func corners(of box: AABB) -> [Vec3] {
        (0..<8).map { i in
            Vec3(i & 1 == 0 ? box.min.x : box.max.x, i & 2 == 0 ? box.min.y : box.max.y,
                 i & 4 == 0 ? box.min.z : box.max.z)
        }
    }

    /// Largest |NDC| coordinate of `points` (x scaled by the margin's aspect), or infinity when one is behind
    /// the eye.
    private static func extent(_ camera: Camera, points: [Vec3], aspect: Float) -> (Float, SIMD4<Float>) {
        let matrix = camera.projectionMatrix(aspect: aspect) * camera.viewMatrix
        var lo = SIMD2<Float>(.infinity, .infinity), hi = SIMD2<Float>(-.infinity, -.infinity)
        let eye = camera.eye, forward = camera.forward
        for p in points {
            guard (p - eye).dot(forward) > camera.near else { return (.infinity, .zero) }
            let ndc = matrix.transformPoint(p)
            lo = SIMD2(min(lo.x, ndc.x), min(lo.y, ndc.y))
            hi = SIMD2(max(hi.x, ndc.x), max(hi.y, ndc.y))
        }
        let worst = max(max(-lo.x, hi.x), max(-lo.y, hi.y))
        return (worst, SIMD4(lo.x, lo.y, hi.x, hi.y))
    }

    /// The distance at which the points just fit `margin` of the view (bisection on a log scale).
    private static func fittingDistance(_ camera: Camera, points: [Vec3], aspect: Float, margin: Float) -> Float {
        var lo = Camera.distanceRange.lowerBound, hi = Camera.distanceRange.upperBound
        var probe = camera
        for _ in 0..<48 {
            let mid = (lo * hi).squareRoot()
            probe.pose.distance = mid
            if extent(probe, points: points, aspect: aspect).0 <= margin { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Shifts the target across the view so the points' projection is centred.
    private static func recentre(_ camera: inout Camera, points: [Vec3], aspect: Float) {
        let (worst, box) = extent(camera, points: points, aspect: aspect)
        guard worst.isFinite else { return }
        let centre = SIMD2((box.x + box.z) / 2, (box.y + box.w) / 2)
        let halfHeight = camera.pose.distance * tan(camera.fovY / 2)
        camera.pose.target = camera.pose.target + camera.right * (centre.x * halfHeight * aspect)
            + camera.up * (centre.y * halfHeight)
    }
}

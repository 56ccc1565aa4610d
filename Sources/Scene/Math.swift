import Foundation

/// A 3D vector of `Float`, in scene units. Encodes as a JSON array `[x, y, z]`.
public struct Vec3: Sendable, Equatable, Hashable {
    public var x: Float
    public var y: Float
    public var z: Float

    public init(_ x: Float, _ y: Float, _ z: Float) {
        self.x = x
        self.y = y
        self.z = z
    }

    public static let zero = Vec3(0, 0, 0)
    public static let one = Vec3(1, 1, 1)

    public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    public static func * (a: Vec3, s: Float) -> Vec3 { Vec3(a.x * s, a.y * s, a.z * s) }
    public static func * (s: Float, a: Vec3) -> Vec3 { a * s }
    public static func / (a: Vec3, s: Float) -> Vec3 { Vec3(a.x / s, a.y / s, a.z / s) }
    public static prefix func - (a: Vec3) -> Vec3 { Vec3(-a.x, -a.y, -a.z) }

    /// Component-wise product.
    public func scaled(by b: Vec3) -> Vec3 { Vec3(x * b.x, y * b.y, z * b.z) }
    public func dot(_ b: Vec3) -> Float { x * b.x + y * b.y + z * b.z }
    public func cross(_ b: Vec3) -> Vec3 { Vec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    public var length: Float { dot(self).squareRoot() }
    /// This vector scaled to length 1 (unchanged if it is zero).
    public var normalized: Vec3 {
        let l = length
        return l > 0 ? self / l : self
    }

    /// Linear interpolation from `a` (t = 0) to `b` (t = 1).
    public static func mix(_ a: Vec3, _ b: Vec3, _ t: Float) -> Vec3 { a + (b - a) * t }
    public static func min(_ a: Vec3, _ b: Vec3) -> Vec3 {
        Vec3(Swift.min(a.x, b.x), Swift.min(a.y, b.y), Swift.min(a.z, b.z))
    }
    public static func max(_ a: Vec3, _ b: Vec3) -> Vec3 {
        Vec3(Swift.max(a.x, b.x), Swift.max(a.y, b.y), Swift.max(a.z, b.z))
    }
}

extension Vec3: Codable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(x)
        try c.encode(y)
        try c.encode(z)
    }

    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(try c.decode(Float.self), try c.decode(Float.self), try c.decode(Float.self))
    }
}

/// A 4×4 matrix, column-major as OpenGL expects (`m[column * 4 + row]`).
public struct Mat4: Sendable, Equatable, Codable {
    /// The 16 entries, column-major.
    public var m: [Float]

    public init(columnMajor m: [Float]) {
        precondition(m.count == 16, "Mat4 needs 16 entries")
        self.m = m
    }

    public static let identity = Mat4(columnMajor: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])

    /// Entry at `row`, `column`.
    public subscript(row: Int, column: Int) -> Float {
        get { m[column * 4 + row] }
        set { m[column * 4 + row] = newValue }
    }

    public static func * (a: Mat4, b: Mat4) -> Mat4 {
        var r = [Float](repeating: 0, count: 16)
        for c in 0..<4 {
            for row in 0..<4 {
                var s: Float = 0
                for k in 0..<4 { s += a.m[k * 4 + row] * b.m[c * 4 + k] }
                r[c * 4 + row] = s
            }
        }
        return Mat4(columnMajor: r)
    }

    /// Transforms a point (w = 1) and divides by w.
    public func transformPoint(_ p: Vec3) -> Vec3 {
        let x = m[0] * p.x + m[4] * p.y + m[8] * p.z + m[12]
        let y = m[1] * p.x + m[5] * p.y + m[9] * p.z + m[13]
        let z = m[2] * p.x + m[6] * p.y + m[10] * p.z + m[14]
        let w = m[3] * p.x + m[7] * p.y + m[11] * p.z + m[15]
        return w != 0 && w != 1 ? Vec3(x / w, y / w, z / w) : Vec3(x, y, z)
    }

    /// A right-handed view matrix looking from `eye` at `target` (OpenGL `gluLookAt`).
    public static func lookAt(eye: Vec3, target: Vec3, up: Vec3) -> Mat4 {
        let f = (target - eye).normalized
        let s = f.cross(up).normalized
        let u = s.cross(f)
        return Mat4(columnMajor: [
            s.x, u.x, -f.x, 0,
            s.y, u.y, -f.y, 0,
            s.z, u.z, -f.z, 0,
            -s.dot(eye), -u.dot(eye), f.dot(eye), 1,
        ])
    }

    /// An OpenGL perspective projection (`gluPerspective`); `fovY` in radians, clip space z in [-1, 1].
    public static func perspective(fovY: Float, aspect: Float, near: Float, far: Float) -> Mat4 {
        let f = 1 / tan(fovY / 2)
        return Mat4(columnMajor: [
            f / aspect, 0, 0, 0,
            0, f, 0, 0,
            0, 0, (far + near) / (near - far), -1,
            0, 0, 2 * far * near / (near - far), 0,
        ])
    }
}

/// A half-line `origin + t * direction`, t ≥ 0; `direction` has length 1.
public struct Ray: Sendable, Equatable, Codable {
    public var origin: Vec3
    public var direction: Vec3

    public init(origin: Vec3, direction: Vec3) {
        self.origin = origin
        self.direction = direction.normalized
    }

    /// The point at distance `t` along the ray.
    public func at(_ t: Float) -> Vec3 { origin + direction * t }
}

/// An axis-aligned box given by its corners.
public struct AABB: Sendable, Equatable, Codable {
    public var min: Vec3
    public var max: Vec3

    public init(min: Vec3, max: Vec3) {
        self.min = min
        self.max = max
    }

    /// The box with this centre and full extent.
    public init(center: Vec3, size: Vec3) {
        self.init(min: center - size / 2, max: center + size / 2)
    }

    /// A box that contains nothing; `union` with it yields the other box.
    public static let empty = AABB(
        min: Vec3(.infinity, .infinity, .infinity), max: Vec3(-.infinity, -.infinity, -.infinity))

    public var isEmpty: Bool { min.x > max.x || min.y > max.y || min.z > max.z }
    public var center: Vec3 { (min + max) / 2 }
    public var size: Vec3 { isEmpty ? .zero : max - min }

    public func union(_ b: AABB) -> AABB { AABB(min: Vec3.min(min, b.min), max: Vec3.max(max, b.max)) }
    public func including(_ p: Vec3) -> AABB { AABB(min: Vec3.min(min, p), max: Vec3.max(max, p)) }

    /// True when the boxes overlap by more than `tolerance` on every axis.
    public func intersects(_ b: AABB, tolerance: Float = 0) -> Bool {
        min.x < b.max.x - tolerance && b.min.x < max.x - tolerance
            && min.y < b.max.y - tolerance && b.min.y < max.y - tolerance
            && min.z < b.max.z - tolerance && b.min.z < max.z - tolerance
    }

    public func contains(_ p: Vec3, tolerance: Float = 0) -> Bool {
        p.x >= min.x - tolerance && p.x <= max.x + tolerance && p.y >= min.y - tolerance
            && p.y <= max.y + tolerance && p.z >= min.z - tolerance && p.z <= max.z + tolerance
    }

    /// Distance along `ray` to where it enters the box (0 if it starts inside), or nil if it misses (slab test).
    public func intersect(_ ray: Ray) -> Float? {
        var t0: Float = 0
        var t1 = Float.infinity
        for axis in 0..<3 {
            let o = ray.origin[axis]
            let d = ray.direction[axis]
            let lo = min[axis]
            let hi = max[axis]
            if abs(d) < 1e-12 {
                if o < lo || o > hi { return nil }
                continue
            }
            var a = (lo - o) / d
            var b = (hi - o) / d
            if a > b { swap(&a, &b) }
            t0 = Swift.max(t0, a)
            t1 = Swift.min(t1, b)
            if t0 > t1 { return nil }
        }
        return t0
    }
}

extension Vec3 {
    /// Component by axis index: 0 = x, 1 = y, 2 = z.
    public subscript(axis: Int) -> Float {
        get { axis == 0 ? x : (axis == 1 ? y : z) }
        set {
            switch axis {
            case 0: x = newValue
            case 1: y = newValue
            default: z = newValue
            }
        }
    }
}

import CGL

/// Static vertex data shared by the passes: built once per renderer.
enum MeshData {
    /// A unit cube centred at the origin, 36 vertices of (position xyz, normal xyz), counter-clockwise
    /// outward faces (so back-face culling works).
    static let cube: [Float] = {
        let faces: [(normal: SIMD3<Float>, u: SIMD3<Float>, v: SIMD3<Float>)] = [
            ([1, 0, 0], [0, 0, -1], [0, 1, 0]), ([-1, 0, 0], [0, 0, 1], [0, 1, 0]),
            ([0, 1, 0], [1, 0, 0], [0, 0, -1]), ([0, -1, 0], [1, 0, 0], [0, 0, 1]),
            ([0, 0, 1], [1, 0, 0], [0, 1, 0]), ([0, 0, -1], [-1, 0, 0], [0, 1, 0]),
        ]
        var data: [Float] = []
        for face in faces {
            let corners: [(Float, Float)] = [(-1, -1), (1, -1), (1, 1), (-1, -1), (1, 1), (-1, 1)]
            for (a, b) in corners {
                let p = (face.normal + a * face.u + b * face.v) * 0.5
                data += [p.x, p.y, p.z, face.normal.x, face.normal.y, face.normal.z]
            }
        }
        return data
    }()

    /// Two triangles covering [-0.5, 0.5]², as (x, y) pairs.
    static let centeredQuad: [Float] = [-0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5]

    /// Two triangles covering [0, 1]², as (x, y) pairs.
    static let unitQuad: [Float] = [0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1]

    /// A segment's quad: x picks the end (0, 1), y the side (-1, 1).
    static let segmentQuad: [Float] = [0, -1, 1, -1, 1, 1, 0, -1, 1, 1, 0, 1]
}

/// A W×H grid of vertices (cell coordinates as floats) with triangle indices, for height fields.
final class GridMesh {
    let vertices = GLBuffer()
    let indices = GLBuffer(target: GL_ELEMENT_ARRAY_BUFFER)
    let indexCount: Int

    init(width: Int, height: Int) {
        var points: [Float] = []
        points.reserveCapacity(width * height * 2)
        for y in 0..<height {
            for x in 0..<width { points += [Float(x), Float(y)] }
        }
        var triangles: [UInt32] = []
        if width > 1, height > 1 {
            triangles.reserveCapacity((width - 1) * (height - 1) * 6)
            for y in 0..<(height - 1) {
                for x in 0..<(width - 1) {
                    let i = UInt32(y * width + x), w = UInt32(width)
                    triangles += [i, i + 1, i + w + 1, i, i + w + 1, i + w]
                }
            }
        }
        vertices.upload(points)
        indices.upload(triangles)
        indexCount = triangles.count
    }
}

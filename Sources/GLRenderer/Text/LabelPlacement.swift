import Scene

/// Chooses which labels a frame draws: layer labels that would overlap on screen are dropped (the most
/// important kept), cell values too small to read are skipped, and labels off screen cost nothing.
struct LabelPlacement {
    /// A label before placement.
    struct Candidate {
        var text: String
        var anchor: SIMD3<Float>
        /// Em size in world units.
        var em: Float
        /// Smallest on-screen em in pixels (billboarded layer labels); 0 for planar cell values.
        var minPixels: Float
        var planar: Bool
        /// Higher is placed first.
        var priority: Int
    }

    /// Cell values whose em would be smaller than this many pixels are not drawn.
    static let smallestReadablePixels: Float = 4

    let view: DrawList.View
    private(set) var candidates: [Candidate] = []

    init(view: DrawList.View) { self.view = view }

    mutating func add(_ candidate: Candidate) { candidates.append(candidate) }

    /// The glyphs of the labels that fit.
    func place(atlas: GlyphAtlas, color: SIMD4<Float>) -> TextBatch {
        var batch = TextBatch()
        var taken: [SIMD4<Float>] = []
        let order = candidates.indices.sorted { candidates[$0].priority > candidates[$1].priority || (candidates[$0].priority == candidates[$1].priority && $0 < $1) }
        for index in order {
            let c = candidates[index]
            guard let (x, y, depth) = project(c.anchor) else { continue }
            let emPixels = c.em * view.focalPixels / depth
            if c.planar {
                guard emPixels >= Self.smallestReadablePixels else { continue }
            } else {
                let rect = screenRect(c, x: x, y: y, emPixels: max(emPixels, c.minPixels), atlas: atlas)
                guard rect.z > 0, rect.x < view.viewport.x, rect.w > 0, rect.y < view.viewport.y else { continue }
                guard !taken.contains(where: { overlaps($0, rect) }) else { continue }
                taken.append(rect)
            }
            batch.add(c.text, at: c.anchor, height: c.em, color: color, minPixels: c.minPixels, planar: c.planar,
                      atlas: atlas)
        }
        return batch
    }

    /// Screen position (pixels, y down) and depth of a world point, nil when behind the eye.
    private func project(_ p: SIMD3<Float>) -> (Float, Float, Float)? {
        let m = view.viewProjection.m
        let x = m[0] * p.x + m[4] * p.y + m[8] * p.z + m[12]
        let y = m[1] * p.x + m[5] * p.y + m[9] * p.z + m[13]
        let w = m[3] * p.x + m[7] * p.y + m[11] * p.z + m[15]
        guard w > 1e-4 else { return nil }
        return ((x / w + 1) / 2 * view.viewport.x, (1 - y / w) / 2 * view.viewport.y, w)
    }

    /// Billboarded text's box on screen (min x, min y, max x, max y) with a small gap around it.
    private func screenRect(_ c: Candidate, x: Float, y: Float, emPixels: Float, atlas: GlyphAtlas) -> SIMD4<Float> {
        let lines = c.text.split(separator: "\n", omittingEmptySubsequences: false)
        let width = (lines.map { atlas.width(of: $0) }.max() ?? 0) * emPixels
        let height = (Float(lines.count) * atlas.lineHeight + 0.25) * emPixels
        let gap: Float = 3
        return SIMD4(x - width / 2 - gap, y - height - gap, x + width / 2 + gap, y + gap)
    }

    private func overlaps(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> Bool {
        a.x < b.z && b.x < a.z && a.y < b.w && b.y < a.w
    }
}

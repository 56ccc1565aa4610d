import AVX2Kernels
import Foundation
import Synchronization

/// A Conv's (or dense layer's) weights packed once for `PackedGemm`: per group, the `rows`×`depth` matrix in
/// 6-row panels, and the bias padded to whole panels (zero without bias). A conv on a small plane also asks for
/// them packed for `PositionGemm`, which they are on first use.
final class PackedWeights: @unchecked Sendable {
    let groups: Int, rows: Int, depth: Int
    let hasBias: Bool
    private let storage: UnsafeMutableBufferPointer<Float>
    private let biasStorage: UnsafeMutableBufferPointer<Float>
    private let groupStride: Int, biasStride: Int
    private let positionPanels = Mutex<UnsafeMutableBufferPointer<Float>?>(nil)

    /// Packs `weight` (`groups·rows` rows of `depth` values, row-major) and `bias` (`groups·rows` values or nil).
    init(weight: UnsafePointer<Float>, groups: Int, rows: Int, depth: Int, bias: [Float]?) {
        (self.groups, self.rows, self.depth, hasBias) = (groups, rows, depth, bias != nil)
        groupStride = PackedGemm.packedCount(m: rows, k: depth)
        biasStride = PackedGemm.panels(m: rows) * PackedGemm.panelRows
        storage = .allocate(capacity: max(1, groups * groupStride))
        biasStorage = .allocate(capacity: max(1, groups * biasStride))
        biasStorage.initialize(repeating: 0)
        for g in 0..<groups {
            PackedGemm.pack(m: rows, k: depth, a: weight + g * rows * depth, lda: depth,
                            into: storage.baseAddress! + g * groupStride)
            if let bias {
                for r in 0..<rows { biasStorage[g * biasStride + r] = bias[g * rows + r] }
            }
        }
    }

    deinit {
        storage.deallocate()
        biasStorage.deallocate()
        positionPanels.withLock { $0?.deallocate() }
    }

    /// Group `g`'s matrix packed for `PositionGemm`, packed from the 6-row panels on the first call.
    func positionMatrix(group g: Int) -> UnsafePointer<Float> {
        let stride = PositionGemm.packedCount(m: rows, k: depth)
        let all = positionPanels.withLock { packed in
            if let packed { return packed }
            let made = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, groups * stride))
            ScratchPool.current.withBuffer(count: max(1, rows * depth)) { plain in
                for group in 0..<groups {
                    unpack(group: group, into: plain)
                    PositionGemm.pack(m: rows, k: depth, w: plain, into: made.baseAddress! + group * stride)
                }
            }
            packed = made
            return made
        }
        return UnsafePointer(all.baseAddress! + g * stride)
    }

    /// Group `g`'s `rows`×`depth` matrix, row-major, from its 6-row panels (`PackedGemm.pack`).
    private func unpack(group g: Int, into w: UnsafeMutablePointer<Float>) {
        let height = PackedGemm.panelRows, panels = PackedGemm.panels(m: rows)
        var from = UnsafePointer(storage.baseAddress! + g * groupStride)
        for index in 0..<PackedGemm.depthBlockCount(depth) {
            let block = PackedGemm.depthBlock(index, of: depth)
            for panel in 0..<panels {
                for p in block {
                    for r in 0..<min(height, rows - panel * height) { w[(panel * height + r) * depth + p] = from[r] }
                    from += height
                }
            }
        }
    }

    /// Group `g`'s packed matrix.
    func matrix(group g: Int) -> UnsafePointer<Float> { UnsafePointer(storage.baseAddress! + g * groupStride) }

    /// Group `g`'s padded bias, or nil when the layer has none.
    func bias(group g: Int) -> UnsafePointer<Float>? {
        hasBias ? UnsafePointer(biasStorage.baseAddress! + g * biasStride) : nil
    }

    /// Whether these are the packed form of a conv of this shape (and bias presence).
    func fits(groups: Int, rows: Int, depth: Int, bias: Bool) -> Bool {
        self.groups == groups && self.rows == rows && self.depth == depth && hasBias == bias
    }
}

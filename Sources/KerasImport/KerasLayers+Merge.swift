import Foundation
import StrataCore

extension KerasLayers {
    /// Add, Subtract, Multiply, Average, Maximum, Minimum: pairwise ONNX ops (broadcasting as Keras).
    static func merge(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let cls = e.spec.className
        guard e.inputs.count >= 2 else { throw e.fail("needs at least 2 inputs, got \(e.inputs.count)") }
        if cls == "Subtract" {
            guard e.inputs.count == 2 else { throw e.fail("needs exactly 2 inputs") }
            e.node("Sub", e.inputs)
            return broadcastShape(e.inputShapes)
        }
        let op = ["Add": "Add", "Average": "Add", "Multiply": "Mul", "Maximum": "Max", "Minimum": "Min"][cls] ?? "Add"
        var y = e.inputs[0]
        for other in e.inputs.dropFirst() { y = e.node(op, [y, other]) }
        if cls == "Average" { e.node("Div", [y, e.scalar("count", Float(e.inputs.count))], tag: "average") }
        return broadcastShape(e.inputShapes)
    }

    /// The NumPy broadcast of the shapes, when all are known.
    static func broadcastShape(_ shapes: [[Dim]?]) -> [Dim]? {
        guard let known = shapes as? [[Dim]], let rank = known.map(\.count).max() else { return shapes.first ?? nil }
        return (0..<rank).map { i in
            let dims = known.compactMap { s in i - (rank - s.count) >= 0 ? s[i - (rank - s.count)] : nil }
            return dims.first { $0 != .value(1) } ?? .value(1)
        }
    }

    /// Concatenate along `axis` (Keras axes of the NHWC value; default -1).
    static func concatenate(_ e: inout LayerEmitter) throws(ImportError) -> [Dim]? {
        let axis = e.config.int("axis") ?? -1
        e.node("Concat", e.inputs, ["axis": .int(axis)])
        guard let shapes = e.inputShapes as? [[Dim]], let first = shapes.first else { return nil }
        let a = axis < 0 ? first.count + axis : axis
        guard first.indices.contains(a) else { throw e.fail("axis \(axis) out of range for rank \(first.count)") }
        var out = first
        let sizes = shapes.map { $0.indices.contains(a) ? $0[a].intValue : nil }
        out[a] = dim(sizes.contains(nil) ? nil : sizes.reduce(0) { $0 + $1! })
        return out
    }
}

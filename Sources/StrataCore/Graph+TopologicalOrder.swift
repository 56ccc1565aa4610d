extension Graph {
    /// Node indices in an order where every node comes after the producers of its inputs; ties keep file
    /// order (Kahn's algorithm with the smallest ready index first).
    ///
    /// Throws `GraphError.cycle` naming a node on the cycle, `.undefinedValue` for an input nothing
    /// defines, `.duplicateOutput` when two nodes write one value.
    public func topologicalOrder() throws(GraphError) -> [Int] {
        var producer: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for output in node.outputs where !output.isEmpty {
                if producer.updateValue(i, forKey: output) != nil { throw .duplicateOutput(value: output) }
            }
        }
        let external = Set(inputs.map(\.name)).union(initializers.keys)
        var pending = [Int](repeating: 0, count: nodes.count)
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (i, node) in nodes.enumerated() {
            // Inputs in file order (not a Set's random order), so the value an error names is deterministic.
            var seen = Set<String>()
            for input in node.inputs where !input.isEmpty && seen.insert(input).inserted {
                if let p = producer[input] {
                    pending[i] += 1
                    consumers[p].append(i)
                } else if !external.contains(input) {
                    throw .undefinedValue(node: node.name, value: input)
                }
            }
        }
        var ready = Heap(pending.indices.filter { pending[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let i = ready.popMin() {
            order.append(i)
            for c in consumers[i] {
                pending[c] -= 1
                if pending[c] == 0 { ready.insert(c) }
            }
        }
        if order.count < nodes.count {
            throw .cycle(node: nodes[nodeOnCycle(pending: pending, producer: producer)].name)
        }
        return order
    }

    /// Walks backwards from a blocked node through blocked producers until a node repeats: that node
    /// is on a cycle (a blocked node may only be downstream of one).
    private func nodeOnCycle(pending: [Int], producer: [String: Int]) -> Int {
        var current = pending.firstIndex { $0 > 0 }!
        var seen: Set<Int> = []
        while seen.insert(current).inserted {
            let blocked = nodes[current].inputs.compactMap { producer[$0] }.first { pending[$0] > 0 }
            guard let next = blocked else { break }
            current = next
        }
        return current
    }
}

/// A binary min-heap of node indices.
struct Heap {
    private var items: [Int] = []

    init(_ values: [Int]) { for v in values { insert(v) } }

    mutating func insert(_ v: Int) {
        items.append(v)
        var i = items.count - 1
        while i > 0, items[(i - 1) / 2] > items[i] {
            items.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func popMin() -> Int? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l] < items[m] { m = l }
                if r < items.count, items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}

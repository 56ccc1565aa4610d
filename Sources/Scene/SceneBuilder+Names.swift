import StrataCore

extension SceneBuilder {
    /// Every name `resolveLayer` accepts: graph inputs, layer names and the values layers produce.
    public static func expandableNames(in graph: Graph) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for n in graph.inputs.map(\.name) + graph.layers.flatMap({ [$0.name] + $0.outputs })
        where seen.insert(n).inserted {
            names.append(n)
        }
        return names
    }

    /// Up to `limit` names of `graph` closest to `name` (substring matches first, then by edit distance),
    /// for "unknown layer" messages.
    public static func closeNames(to name: String, in graph: Graph, limit: Int = 4) -> [String] {
        let query = name.lowercased()
        let scored = expandableNames(in: graph).map { candidate -> (String, Int) in
            let c = candidate.lowercased()
            let bonus = c.contains(query) || query.contains(c) ? -1000 : 0
            return (candidate, bonus + editDistance(Array(query.utf8), Array(c.utf8)))
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance, capped in cost by the inputs' lengths (names are short).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

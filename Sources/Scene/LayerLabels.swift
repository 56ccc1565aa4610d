/// Short names for the labels over blocks. Converters nest names in scopes (`model_1/block1_relu_1/Relu`);
/// the full name stays in the tooltip and the inspector, the label shows what tells layers apart.
public enum LayerLabels {
    /// A label per layer name: when every scoped name starts with the same scope (the model's), that scope
    /// is dropped and the next part (the framework layer's name) is kept; other scoped names keep their
    /// last two parts; unscoped names are kept whole.
    public static func short(for names: [String]) -> [String: String] {
        let scoped = names.map { $0.split(separator: "/", omittingEmptySubsequences: false) }
        let firsts = Set(scoped.filter { $0.count > 1 }.map { $0[0] })
        let commonScope = firsts.count == 1 ? firsts.first : nil
        var labels: [String: String] = [:]
        for (name, parts) in zip(names, scoped) {
            if parts.count < 2 {
                labels[name] = name
            } else if let commonScope, parts[0] == commonScope, !parts[1].isEmpty {
                labels[name] = String(parts[1])
            } else {
                labels[name] = parts.suffix(2).joined(separator: "/")
            }
        }
        // Two layers of one framework layer (`gap_1/Mean`, `gap_1/Mean_Squeeze`) get their last part added.
        var uses: [String: Int] = [:]
        for label in labels.values { uses[label, default: 0] += 1 }
        for (name, parts) in zip(names, scoped) where parts.count > 2 && uses[labels[name] ?? ""] ?? 0 > 1 {
            labels[name] = parts.suffix(2).joined(separator: "/")
        }
        return labels
    }
}

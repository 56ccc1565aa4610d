import Foundation

/// Number and shape formatting shared by the panels.
public enum UIFormat {
    /// A compact number: 5 significant digits, scientific when very small or large, NaN/±Inf spelt out.
    public static func number(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        let m = abs(v)
        if m != 0, m < 1e-3 || m >= 1e5 { return String(format: "%.3e", v) }
        return String(format: "%.5g", v)
    }

    /// `1×8×28×28`.
    public static func shape(_ dims: [Int]) -> String { dims.isEmpty ? "scalar" : dims.map(String.init).joined(separator: "×") }

    /// `28,886` style grouping.
    public static func count(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0, (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}

/// A dimension as a product: `coefficient` × the symbols (sorted, repeated for powers).
///
/// A symbol written `N*16` is read back as the product N × 16, so products survive a round trip through
/// `Dim` and a `Flatten` followed by a `Reshape` with `-1` recovers `N`.
struct DimProduct: Hashable {
    var coefficient: Int
    var symbols: [String]

    static let one = DimProduct(coefficient: 1, symbols: [])

    init(coefficient: Int, symbols: [String]) {
        self.coefficient = coefficient
        self.symbols = symbols.sorted()
    }

    init(_ dim: Dim) {
        switch dim {
        case let .value(v): self.init(coefficient: v, symbols: [])
        case let .symbol(s):
            var c = 1
            var names: [String] = []
            for part in s.split(separator: "*", omittingEmptySubsequences: false) {
                let trimmed = String(part).trimmingSpaces()
                if let v = Int(trimmed), v > 0, v <= DimLimits.maxDim, let p = c.checkedMultiply(v) {
                    c = p
                } else {
                    names.append(trimmed)
                }
            }
            if names.isEmpty || names.contains(where: \.isEmpty) {
                self.init(coefficient: 1, symbols: [s])
            } else {
                self.init(coefficient: c, symbols: names)
            }
        }
    }

    /// The product as a `Dim`: a number when no symbol is left, else `N*C*16`.
    var dim: Dim {
        if symbols.isEmpty || coefficient == 0 { return .value(coefficient) }
        let parts = symbols + (coefficient == 1 ? [] : [String(coefficient)])
        return .symbol(parts.joined(separator: "*"))
    }

    /// Most symbols a product keeps; longer products become fresh symbols, so a chain of nodes cannot
    /// grow names without bound.
    static let maxSymbols = 8

    /// The product, or `nil` when it overflows or has too many symbols.
    func times(_ other: DimProduct) -> DimProduct? {
        guard let c = coefficient.checkedMultiply(other.coefficient),
              symbols.count + other.symbols.count <= Self.maxSymbols else { return nil }
        return DimProduct(coefficient: c, symbols: symbols + other.symbols)
    }

    /// The exact quotient, or `nil` when `other` does not divide this product.
    func dividing(by other: DimProduct) -> DimProduct? {
        if coefficient == 0, other.coefficient != 0 { return DimProduct(coefficient: 0, symbols: []) }
        guard other.coefficient != 0, coefficient % other.coefficient == 0 else { return nil }
        var remaining = symbols
        for s in other.symbols {
            guard let i = remaining.firstIndex(of: s), !Dim.symbol(s).isAnonymous else { return nil }
            remaining.remove(at: i)
        }
        return DimProduct(coefficient: coefficient / other.coefficient, symbols: remaining)
    }

    /// The product of all `dims`, or `nil` when it overflows.
    static func of(_ dims: [Dim]) -> DimProduct? {
        var p = DimProduct.one
        for d in dims {
            guard let next = p.times(DimProduct(d)) else { return nil }
            p = next
        }
        return p
    }
}

/// Bounds that keep shape arithmetic far from `Int` overflow: an attribute or dimension beyond them makes
/// the result unknown instead of trapping.
enum DimLimits {
    static let maxDim = 1 << 40
    static let maxAttribute = 1 << 20
}

extension Int {
    func checkedMultiply(_ other: Int) -> Int? {
        let (r, o) = multipliedReportingOverflow(by: other)
        return o ? nil : r
    }

    func checkedAdd(_ other: Int) -> Int? {
        let (r, o) = addingReportingOverflow(other)
        return o ? nil : r
    }

    /// Floor division for a positive divisor.
    func floorDiv(_ d: Int) -> Int {
        let q = self / d
        return (self % d != 0 && self < 0) ? q - 1 : q
    }

    /// Ceiling division for a positive divisor.
    func ceilDiv(_ d: Int) -> Int { -((-self).floorDiv(d)) }
}

extension Dim {
    /// A symbol standing for "some unknown size", never equal to another dimension (`?` or empty).
    var isAnonymous: Bool {
        if case let .symbol(s) = self { return s.isEmpty || s == "?" }
        return false
    }

    /// A number in the range shape arithmetic handles.
    var boundedValue: Int? {
        guard let v = intValue, v >= 0, v <= DimLimits.maxDim else { return nil }
        return v
    }

    /// True when both are known to be the same size.
    func isSame(as other: Dim) -> Bool {
        self == other && !isAnonymous
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

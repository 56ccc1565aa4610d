/// A window of `pageSize` consecutive items out of `count` (rows or columns of a table): the first shown
/// is clamped so a page is always full when there are enough items. Plain arithmetic, no drawing.
public struct TablePager: Sendable, Equatable {
    /// Items in all.
    public let count: Int
    /// Items shown at once (at least 1).
    public let pageSize: Int
    /// The first item shown, in `0...lastFirst`.
    public private(set) var first: Int

    public init(count: Int, pageSize: Int, first: Int = 0) {
        self.count = max(count, 0)
        self.pageSize = max(pageSize, 1)
        self.first = 0
        self.first = clamped(first)
    }

    /// The largest first item: the one that shows the last page full.
    public var lastFirst: Int { max(count - pageSize, 0) }

    /// The items shown.
    public var visible: Range<Int> { first..<min(first + pageSize, count) }

    /// True when not every item fits on one page.
    public var isPaged: Bool { count > pageSize }

    /// Moves by `delta` items, clamped.
    public mutating func scroll(by delta: Int) { first = clamped(first + delta) }

    /// Moves one page forward or back.
    public mutating func pageDown() { scroll(by: pageSize) }
    public mutating func pageUp() { scroll(by: -pageSize) }

    /// Shows the first or the last page.
    public mutating func home() { first = 0 }
    public mutating func end() { first = lastFirst }

    /// Page number (1-based) of the first item shown and the number of pages.
    public var page: (number: Int, of: Int) {
        let pages = max((count + pageSize - 1) / pageSize, 1)
        let number = first >= lastFirst ? pages : first / pageSize + 1
        return (number, pages)
    }

    /// `rows 1–50 of 112` (1-based, inclusive), `rows 0 of 0` when empty.
    public func label(_ noun: String) -> String {
        guard count > 0 else { return "\(noun) 0 of 0" }
        return "\(noun) \(visible.lowerBound + 1)–\(visible.upperBound) of \(count)"
    }

    private func clamped(_ i: Int) -> Int { min(max(i, 0), lastFirst) }
}

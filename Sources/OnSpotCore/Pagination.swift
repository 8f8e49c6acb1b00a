/// A page of a list: its number bounded so that `offset` can never overflow, whatever a query string says.
public struct PageRequest: Sendable, Equatable {
    public static let pages: ClosedRange<Int> = 1...100_000
    public static let sizes: ClosedRange<Int> = 1...100

    public let page: Int
    public let perPage: Int

    /// Out-of-range values are clamped: the portal's lists show the nearest page instead of an error.
    public init(clamping page: Int, perPage: Int = 25) {
        self.page = min(max(page, Self.pages.lowerBound), Self.pages.upperBound)
        self.perPage = min(max(perPage, Self.sizes.lowerBound), Self.sizes.upperBound)
    }

    /// The rows of this page; at most 100,000 × 100, far from `Int.max`.
    public var range: Range<Int> { ((page - 1) * perPage)..<(page * perPage) }

    /// The number of pages for `total` rows (at least one).
    public static func pageCount(total: Int, perPage: Int) -> Int {
        let size = min(max(perPage, sizes.lowerBound), sizes.upperBound)
        return max(1, total / size + (total % size == 0 ? 0 : 1))
    }
}

import Foundation

/// Clause 4.1 after the invoice run: what a PLUS trip's invoices must still bill or credit so that they say what its
/// current quote says. A trip registered, lengthened or moved into a period already invoiced is billed the difference
/// on a supplementary invoice; a shortened one is credited the difference against the lines that billed it.
public enum TripBilling {
    /// A line of the trip as it stands: its amount and what credit notes already took off it (an active line only:
    /// a line credited or cancelled as a whole bills nothing).
    public struct BilledLine: Hashable, Sendable {
        public var id: UUID
        public var amountMinor: Int64
        public var creditedMinor: Int64
        public var dueAt: Date
        /// The number of its invoice in the gapless series: a later invoice is credited first.
        public var invoiceSequence: Int
        public init(id: UUID, amountMinor: Int64, creditedMinor: Int64, dueAt: Date, invoiceSequence: Int) {
            self.id = id
            self.amountMinor = amountMinor
            self.creditedMinor = creditedMinor
            self.dueAt = dueAt
            self.invoiceSequence = invoiceSequence
        }
        public var netMinor: Int64 { max(0, amountMinor - creditedMinor) }
    }

    public enum Adjustment: Hashable, Sendable {
        case none
        /// A supplementary line of this amount.
        case bill(Int64)
        /// Credit notes against these lines, the latest invoice's first, none above what is left on its line.
        case credit([(lineID: UUID, amountMinor: Int64)])

        public static func == (a: Adjustment, b: Adjustment) -> Bool {
            switch (a, b) {
            case (.none, .none): true
            case (.bill(let x), .bill(let y)): x == y
            case (.credit(let x), .credit(let y)): x.map(\.lineID) == y.map(\.lineID) && x.map(\.amountMinor) == y.map(\.amountMinor)
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .none: hasher.combine(0)
            case .bill(let amount): hasher.combine(amount)
            case .credit(let notes): for n in notes { hasher.combine(n.lineID); hasher.combine(n.amountMinor) }
            }
        }
    }

    /// What the trip's lines bill, credit notes deducted.
    public static func billedMinor(_ lines: [BilledLine]) -> Int64 { lines.reduce(0) { $0 + $1.netMinor } }

    /// The difference between the current quote and what the lines bill.
    public static func adjustment(quoteMinor: Int64, lines: [BilledLine]) -> Adjustment {
        let billed = billedMinor(lines)
        if quoteMinor > billed { return .bill(quoteMinor - billed) }
        guard quoteMinor < billed else { return .none }
        var left = billed - max(0, quoteMinor)
        var notes: [(lineID: UUID, amountMinor: Int64)] = []
        let latestFirst = lines.sorted { ($0.invoiceSequence, $0.dueAt, $0.id.uuidString) > ($1.invoiceSequence, $1.dueAt, $1.id.uuidString) }
        for line in latestFirst where left > 0 && line.netMinor > 0 {
            let amount = min(left, line.netMinor)
            notes.append((line.id, amount))
            left -= amount
        }
        return .credit(notes)
    }
}

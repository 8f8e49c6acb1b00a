import Foundation

extension Duration {
    /// The duration in seconds as a floating-point number, for reports and benchmark figures.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    public var inMilliseconds: Double { inSeconds * 1000 }
}

/// Latency percentiles of the benchmarks, by nearest rank.
public enum Percentile {
    /// The smallest of `values` with at least a share `p` (0…1) of them at or below it; 0 when there are none.
    public static func of(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }
}

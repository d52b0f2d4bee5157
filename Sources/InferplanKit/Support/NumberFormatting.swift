import Foundation

/// Locale-independent number formatting for text reports (the same bytes on every machine).
enum Format {
    /// `12345.678` -> `12,345.7` with `decimals` digits after the point.
    static func grouped(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return String(value) }
        let fixed = String(format: "%.\(decimals)f", abs(value))
        let parts = fixed.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer = String(integer.dropLast(3))
        }
        groups.insert(integer, at: 0)
        let sign = value < 0 && fixed.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func grouped(_ value: Int) -> String { grouped(Double(value), decimals: 0) }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    static func percent(_ fraction: Double, decimals: Int = 1) -> String { String(format: "%.\(decimals)f%%", fraction * 100) }

    /// `text` padded to `width`; never less than one space of padding, so that a value wider than
    /// its column still stands apart from its neighbour instead of running into it.
    static func pad(_ text: String, _ width: Int, right: Bool = true) -> String {
        let padding = String(repeating: " ", count: max(1, width - text.count))
        return right ? padding + text : text + padding
    }
}

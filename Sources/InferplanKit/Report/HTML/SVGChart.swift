import Foundation

/// A line/scatter chart written as inline SVG: no scripts, no fonts, no dependency.
///
/// One chart shows one quantity: two quantities of different magnitude (TTFT and TPOT) go in two
/// charts side by side, never on one linear axis where the smaller reads as a flat line at zero.
/// `SVGChart+Axis.swift` chooses the ticks; `SVGChart+Drawing.swift` writes the SVG.
struct SVGChart {
    /// How a series is drawn.
    enum Style: Equatable {
        case line, dashed
        /// Markers only, no line (for unordered points).
        case scatter
        /// Hollow markers only: points that failed something (a probe over the limits).
        case hollowScatter
    }

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        var style: Style = .line
        /// A fixed colour (`#rrggbb`); nil takes the next colour of the palette.
        var color: String?
        /// A short label written next to each point (same order as `points`), e.g. "b200 nvfp4 TP8".
        var labels: [String]?
        /// Markers at the points (a frontier drawn over other series' points has none).
        var markers = true
    }

    /// A horizontal line at a fixed value across the plot: a latency limit, a 100% mark.
    struct ReferenceLine {
        var label: String
        var y: Double
    }

    struct Axis {
        enum Scale { case linear, log }
        var label: String
        var scale: Scale = .linear
        /// Ticks only at whole numbers (node counts, GPUs).
        var integerTicks = false
        /// The range reaches down to zero (throughput, efficiency) rather than hugging the data.
        var includesZero = false

        /// A latency axis: log when the values span more than two decades (a TTFT that grows from
        /// 0.2 s to 60 s past saturation would flatten every other point onto zero), else linear
        /// from zero.
        static func latency(_ label: String, values: [Double]) -> Axis {
            let positive = values.filter { $0.isFinite && $0 > 0 }
            if let low = positive.min(), let high = positive.max(), high > 100 * low {
                return Axis(label: label + " (log)", scale: .log)
            }
            return Axis(label: label, includesZero: true)
        }
    }

    var title: String
    var x: Axis
    var y: Axis
    var series: [Series]
    var references: [ReferenceLine] = []
    /// A band between two lines through the origin, y = low x and y = high x (log axes: the ±10%
    /// band around "predicted = published").
    var proportionalBand: (low: Double, high: Double)?
    var width = 640.0
    var height = 360.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    /// The colour of series `index`: its own, else the palette's.
    func color(of index: Int) -> String {
        series[index].color ?? Self.palette[index % Self.palette.count]
    }

    static func label(_ value: Double) -> String {
        if abs(value) >= 1000 { return Format.grouped(value, decimals: 0) }
        if value == value.rounded() { return String(Int(value)) }
        return String(format: abs(value) < 1 ? "%.3g" : "%.1f", value)
    }

    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

import Foundation

/// A line/scatter chart written as inline SVG: no scripts, no fonts, no dependency.
struct SVGChart {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        var dashed = false
        /// Markers only, no line (for unordered points).
        var scatter = false
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var width = 640.0
    var height = 360.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    func svg() -> String {
        let left = 78.0, right = 170.0, top = 34.0, bottom = 52.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let (x0, x1, xTicks) = Self.niceRange(all.map(\.x))
        let (y0, y1, yTicks) = Self.niceRange(all.map(\.y) + [0])
        func px(_ x: Double) -> Double { left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * plotH }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        out += "<text x=\"\(left)\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(Self.escape(title))</text>"
        for tick in yTicks {
            out += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(Self.n(py(tick)))\" y2=\"\(Self.n(py(tick)))\" stroke=\"#e5e5e5\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(Self.n(py(tick) + 4))\" font-size=\"11\" text-anchor=\"end\">\(Self.label(tick))</text>"
        }
        for tick in xTicks {
            out += "<line x1=\"\(Self.n(px(tick)))\" x2=\"\(Self.n(px(tick)))\" y1=\"\(top)\" y2=\"\(top + plotH)\" stroke=\"#f0f0f0\"/>"
            out += "<text x=\"\(Self.n(px(tick)))\" y=\"\(top + plotH + 16)\" font-size=\"11\" text-anchor=\"middle\">\(Self.label(tick))</text>"
        }
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#444\"/>"
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" font-size=\"12\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>"
        out += "<text transform=\"translate(16 \(top + plotH / 2)) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>"
        for (index, s) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            if points.count > 1, !s.scatter {
                let path = points.map { "\(Self.n(px($0.x))),\(Self.n(py($0.y)))" }.joined(separator: " ")
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            }
            for p in points {
                out += "<circle cx=\"\(Self.n(px(p.x)))\" cy=\"\(Self.n(py(p.y)))\" r=\"3.5\" fill=\"\(color)\"><title>\(Self.escape(s.name)): \(Self.label(p.x)), \(Self.label(p.y))</title></circle>"
            }
            let ly = top + 14 + Double(index) * 18
            out += "<line x1=\"\(left + plotW + 12)\" x2=\"\(left + plotW + 30)\" y1=\"\(ly - 4)\" y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"3\"\(s.dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
            out += "<text x=\"\(left + plotW + 34)\" y=\"\(ly)\" font-size=\"11\">\(Self.escape(String(s.name.prefix(22))))</text>"
        }
        return out + "</svg>"
    }

    /// A range padded to round numbers, with about five ticks.
    static func niceRange(_ values: [Double]) -> (Double, Double, [Double]) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (0, 1, [0, 0.5, 1]) }
        if high == low { return (low - 1, high + 1, [low - 1, low, high + 1]) }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let start = floor(low / step) * step, end = ceil(high / step) * step
        let ticks = stride(from: start, through: end + step / 2, by: step).map { $0 }
        return (start, end, ticks)
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

/// The shell of every HTML page inferplan writes: self-contained, no external scripts or fonts.
enum HTMLPage {
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1400px; }
        h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .charts figure { margin: 0; border: 1px solid #ddd; }
        table { border-collapse: collapse; font-size: 12px; }
        th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
        th { background: #f4f4f4; } td.text, th.text { text-align: left; }
        .note { color: #666; font-size: 13px; }
        </style></head><body>
        \(body)
        </body></html>

        """
    }

    static func table(header: [String], rows: [[String]], textColumns: Set<Int> = []) -> String {
        var out = "<table><tr>" + header.enumerated().map { "<th\(textColumns.contains($0.offset) ? " class=\"text\"" : "")>\(SVGChart.escape($0.element))</th>" }.joined() + "</tr>"
        for row in rows {
            out += "<tr>" + row.enumerated().map { "<td\(textColumns.contains($0.offset) ? " class=\"text\"" : "")>\(SVGChart.escape($0.element))</td>" }.joined() + "</tr>"
        }
        return out + "</table>"
    }
}

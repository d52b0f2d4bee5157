import Foundation

/// A horizontal bar chart as inline SVG: one bar per labelled category (a plan's candidates), the
/// value written at the end of each bar, and an optional marked bar (the best answer).
struct SVGBarChart {
    struct Bar {
        var label: String
        /// Nil draws no bar and writes `missing` instead (a candidate without an answer).
        var value: Double?
        var missing = "no answer"
        var highlighted = false
    }

    var title: String
    var valueLabel: String
    var bars: [Bar]
    var width = 640.0

    func svg() -> String {
        let left = 190.0, right = 90.0, top = 34.0, rowH = 24.0
        let height = top + Double(max(1, bars.count)) * rowH + 44
        let plotW = width - left - right
        let (_, high, ticks) = SVGChart.niceRange(bars.compactMap(\.value) + [0])
        func px(_ v: Double) -> Double { left + (high > 0 ? v / high : 0) * plotW }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(SVGChart.escape(title))\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        out += "<text x=\"12\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(SVGChart.escape(title))</text>"
        let bottom = top + Double(bars.count) * rowH
        for tick in ticks where tick >= 0 {
            out += "<line x1=\"\(SVGChart.n(px(tick)))\" x2=\"\(SVGChart.n(px(tick)))\" y1=\"\(top)\" y2=\"\(bottom)\" stroke=\"#eee\"/>"
            out += "<text x=\"\(SVGChart.n(px(tick)))\" y=\"\(bottom + 14)\" font-size=\"11\" text-anchor=\"middle\">\(SVGChart.label(tick))</text>"
        }
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(bottom + 34)\" font-size=\"12\" text-anchor=\"middle\">\(SVGChart.escape(valueLabel))</text>"
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowH
            out += "<text x=\"\(left - 8)\" y=\"\(y + 16)\" font-size=\"12\" text-anchor=\"end\"\(bar.highlighted ? " font-weight=\"bold\"" : "")>\(SVGChart.escape(String(bar.label.prefix(28))))</text>"
            if let value = bar.value {
                let color = bar.highlighted ? "#2ca02c" : "#1f77b4"
                out += "<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(SVGChart.n(max(1, px(value) - left)))\" height=\"\(rowH - 8)\" fill=\"\(color)\"><title>\(SVGChart.escape(bar.label)): \(SVGChart.label(value))</title></rect>"
                out += "<text x=\"\(SVGChart.n(px(value) + 4))\" y=\"\(y + 16)\" font-size=\"11\">\(SVGChart.label(value))\(bar.highlighted ? " (best)" : "")</text>"
            } else {
                out += "<text x=\"\(left + 4)\" y=\"\(y + 16)\" font-size=\"11\" fill=\"#a00\">\(SVGChart.escape(bar.missing))</text>"
            }
        }
        return out + "</svg>"
    }
}

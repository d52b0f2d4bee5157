import Foundation

/// Horizontal stacked bars as inline SVG: one bar per category (a node count), its segments
/// (efficiency, then each loss) side by side to 100%, with a legend of the segment names.
struct SVGStackedBars {
    struct Bar {
        var label: String
        /// Segment values in `segments` order, as fractions (they add up to about 1).
        var values: [Double]
    }

    var title: String
    var segments: [String]
    var bars: [Bar]
    var width = 640.0

    static let colors = ["#2ca02c", "#ff7f0e", "#d62728", "#9467bd", "#7f7f7f", "#17becf"]

    func svg() -> String {
        let left = 90.0, right = 20.0, top = 34.0, rowH = 22.0
        let plotW = width - left - right
        let bottom = top + Double(bars.count) * rowH
        let height = bottom + 40 + 16 * Double((segments.count + 2) / 3)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(SVGChart.escape(title))\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        out += "<text x=\"12\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(SVGChart.escape(title))</text>"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = SVGChart.n(left + tick * plotW)
            out += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(top)\" y2=\"\(bottom)\" stroke=\"#eee\"/>"
            out += "<text x=\"\(x)\" y=\"\(bottom + 14)\" font-size=\"11\" text-anchor=\"middle\">\(Int(tick * 100))%</text>"
        }
        for (row, bar) in bars.enumerated() {
            let y = top + Double(row) * rowH
            out += "<text x=\"\(left - 8)\" y=\"\(y + 15)\" font-size=\"12\" text-anchor=\"end\">\(SVGChart.escape(bar.label))</text>"
            var x = left
            for (index, value) in bar.values.enumerated() where value > 0 {
                let w = value * plotW
                out += "<rect x=\"\(SVGChart.n(x))\" y=\"\(y + 3)\" width=\"\(SVGChart.n(w))\" height=\"\(rowH - 6)\" fill=\"\(Self.colors[index % Self.colors.count])\"><title>\(SVGChart.escape(segments[index])): \(Format.percent(value, decimals: 1))</title></rect>"
                x += w
            }
        }
        for (index, name) in segments.enumerated() {
            let lx = 12 + Double(index % 3) * 200, ly = bottom + 32 + Double(index / 3) * 16
            out += "<rect x=\"\(lx)\" y=\"\(ly - 9)\" width=\"10\" height=\"10\" fill=\"\(Self.colors[index % Self.colors.count])\"/>"
            out += "<text x=\"\(lx + 14)\" y=\"\(ly)\" font-size=\"11\">\(SVGChart.escape(name))</text>"
        }
        return out + "</svg>"
    }
}

import Foundation

extension SVGChart {
    /// Labels next to points are written only up to this many points a chart; beyond, they would
    /// cover each other and the data (each point still names itself on hover).
    static let maxPointLabels = 40

    /// The chart as one `<svg>` element.
    func svg() -> String {
        let left = 78.0, right = 170.0, top = 34.0, bottom = 52.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xr = x.range(of: all.map(\.x))
        // A reference line gets headroom above it, so that it never lies on the frame.
        let yr = y.range(of: all.map(\.y) + references.map { $0.y * 1.08 })
        func px(_ v: Double) -> Double { left + x.fraction(v, low: xr.low, high: xr.high) * plotW }
        func py(_ v: Double) -> Double { top + plotH - y.fraction(v, low: yr.low, high: yr.high) * plotH }
        // A stable id (a hash would differ between runs, and reports are byte-for-byte reproducible).
        let clipID = "plot-" + String(title.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init).prefix(40))

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        // The clip reaches a marker's radius past the frame, so that a point on the border shows whole.
        out += "<defs><clipPath id=\"\(clipID)\"><rect x=\"\(left - 5)\" y=\"\(top - 5)\" width=\"\(plotW + 10)\" height=\"\(plotH + 10)\"/></clipPath></defs>"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        out += "<text x=\"\(left)\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(Self.escape(title))</text>"
        for tick in yr.ticks {
            out += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(Self.n(py(tick)))\" y2=\"\(Self.n(py(tick)))\" stroke=\"#e5e5e5\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(Self.n(py(tick) + 4))\" font-size=\"11\" text-anchor=\"end\">\(Self.label(tick))</text>"
        }
        for tick in xr.ticks {
            out += "<line x1=\"\(Self.n(px(tick)))\" x2=\"\(Self.n(px(tick)))\" y1=\"\(top)\" y2=\"\(top + plotH)\" stroke=\"#f0f0f0\"/>"
            out += "<text x=\"\(Self.n(px(tick)))\" y=\"\(top + plotH + 16)\" font-size=\"11\" text-anchor=\"middle\">\(Self.label(tick))</text>"
        }
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#444\"/>"
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" font-size=\"12\" text-anchor=\"middle\">\(Self.escape(x.label))</text>"
        out += "<text transform=\"translate(16 \(top + plotH / 2)) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(Self.escape(y.label))</text>"
        out += "<g clip-path=\"url(#\(clipID))\">"
        if let band = proportionalBand {
            // The band between y = low x and y = high x, and the line y = x through it.
            let corners = [(xr.low, band.low * xr.low), (xr.high, band.low * xr.high), (xr.high, band.high * xr.high), (xr.low, band.high * xr.low)]
            out += "<polygon points=\"" + corners.map { "\(Self.n(px($0.0))),\(Self.n(py($0.1)))" }.joined(separator: " ") + "\" fill=\"#2ca02c\" fill-opacity=\"0.12\"/>"
            out += "<line x1=\"\(Self.n(px(xr.low)))\" y1=\"\(Self.n(py(xr.low)))\" x2=\"\(Self.n(px(xr.high)))\" y2=\"\(Self.n(py(xr.high)))\" stroke=\"#2ca02c\" stroke-width=\"1\"/>"
        }
        for reference in references {
            let ly = Self.n(py(reference.y))
            out += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(ly)\" y2=\"\(ly)\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>"
            let labelY = py(reference.y) - top < 14 ? py(reference.y) + 12 : py(reference.y) - 4
            out += "<text x=\"\(left + plotW - 4)\" y=\"\(Self.n(labelY))\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">\(Self.escape(reference.label))</text>"
        }
        let labelled = all.count <= Self.maxPointLabels
        // Labels placed so far: a label that would overlap one of them is left out (its point still
        // names itself on hover).
        var placed: [(x: Double, y: Double, width: Double)] = []
        for (index, s) in series.enumerated() {
            let color = color(of: index)
            let points = s.points.enumerated().filter { $0.element.x.isFinite && $0.element.y.isFinite }
            if points.count > 1, s.style == .line || s.style == .dashed {
                let path = points.map { "\(Self.n(px($0.element.x))),\(Self.n(py($0.element.y)))" }.joined(separator: " ")
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.style == .dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            }
            for (position, p) in points where s.markers {
                let fill = s.style == .hollowScatter ? "fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"1.5\"" : "fill=\"\(color)\""
                let name = s.labels.map { $0[position] } ?? s.name
                out += "<circle cx=\"\(Self.n(px(p.x)))\" cy=\"\(Self.n(py(p.y)))\" r=\"3.5\" \(fill)><title>\(Self.escape(name)): \(Self.label(p.x)), \(Self.label(p.y))</title></circle>"
                if labelled, let labels = s.labels, position < labels.count {
                    let lx = px(p.x) + 5, ly = py(p.y) - 5, width = 5.0 * Double(labels[position].count)
                    let overlaps = placed.contains { abs($0.y - ly) < 10 && lx < $0.x + $0.width && $0.x < lx + width }
                    if !overlaps {
                        placed.append((lx, ly, width))
                        out += "<text x=\"\(Self.n(lx))\" y=\"\(Self.n(ly))\" font-size=\"9\" fill=\"#333\">\(Self.escape(labels[position]))</text>"
                    }
                }
            }
        }
        out += "</g>"
        for index in series.indices {
            let s = series[index], color = color(of: index)
            let ly = top + 14 + Double(index) * 18
            if s.style == .scatter || s.style == .hollowScatter {
                let fill = s.style == .hollowScatter ? "fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"1.5\"" : "fill=\"\(color)\""
                out += "<circle cx=\"\(left + plotW + 21)\" cy=\"\(ly - 4)\" r=\"3.5\" \(fill)/>"
            } else {
                out += "<line x1=\"\(left + plotW + 12)\" x2=\"\(left + plotW + 30)\" y1=\"\(ly - 4)\" y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"3\"\(s.style == .dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
            }
            out += "<text x=\"\(left + plotW + 34)\" y=\"\(ly)\" font-size=\"11\">\(Self.escape(String(s.name.prefix(22))))</text>"
        }
        return out + "</svg>"
    }
}

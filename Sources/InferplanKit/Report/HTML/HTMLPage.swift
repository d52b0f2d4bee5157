import Foundation

/// The shell of every HTML page inferplan writes (`run`, `report`, `scale`, `plan`, `validate`,
/// `catalog`): one visual language, self-contained, no scripts, fonts or addresses to fetch.
enum HTMLPage {
    /// A page with a title, a grey line under it saying what it is about, and `body`.
    static func page(title: String, subtitle: String = "", body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1400px; }
        h1 { font-size: 20px; margin-bottom: 4px; } h2 { font-size: 16px; margin-top: 28px; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .charts figure { margin: 0; border: 1px solid #ddd; }
        .headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
        .headline div { border: 1px solid #ddd; padding: 8px 14px; min-width: 140px; }
        .headline b { display: block; font-size: 18px; } .headline span { color: #666; font-size: 12px; }
        table { border-collapse: collapse; font-size: 12px; }
        th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
        th { background: #f4f4f4; } td.text, th.text { text-align: left; }
        tr.bad td { background: #fdecea; } tr.best td { background: #eaf6ea; }
        .note { color: #666; font-size: 13px; }
        .warning { color: #8a4b00; font-size: 13px; }
        </style></head><body>
        <h1>\(SVGChart.escape(title))</h1>\(subtitle.isEmpty ? "" : "<p class=\"note\">\(SVGChart.escape(subtitle))</p>")
        \(body)
        </body></html>

        """
    }

    /// The page's key figures as boxes: (value, what it is).
    static func headline(_ items: [(value: String, caption: String)]) -> String {
        "<div class=\"headline\">" + items.map { "<div><b>\(SVGChart.escape($0.value))</b><span>\(SVGChart.escape($0.caption))</span></div>" }.joined() + "</div>"
    }

    /// Charts side by side, wrapping on narrow screens.
    static func charts(_ svgs: [String]) -> String {
        svgs.isEmpty ? "" : "<div class=\"charts\">" + svgs.map { "<figure>\($0)</figure>" }.joined() + "</div>"
    }

    static func section(_ heading: String) -> String { "<h2>\(SVGChart.escape(heading))</h2>" }

    static func note(_ text: String) -> String { "<p class=\"note\">\(SVGChart.escape(text))</p>" }

    /// A table; `textColumns` are left-aligned, `rowClasses` (same order as `rows`) mark rows as
    /// `bad` or `best`.
    static func table(header: [String], rows: [[String]], textColumns: Set<Int> = [], rowClasses: [String?] = []) -> String {
        func cell(_ tag: String, _ column: Int, _ text: String) -> String {
            "<\(tag)\(textColumns.contains(column) ? " class=\"text\"" : "")>\(SVGChart.escape(text))</\(tag)>"
        }
        // A table of name-value facts has no header: an empty header row would show as a grey bar.
        var out = "<table>" + (header.allSatisfy(\.isEmpty) ? "" : "<tr>" + header.enumerated().map { cell("th", $0.offset, $0.element) }.joined() + "</tr>")
        for (index, row) in rows.enumerated() {
            let rowClass = index < rowClasses.count ? rowClasses[index] : nil
            out += "<tr\(rowClass.map { " class=\"\($0)\"" } ?? "")>" + row.enumerated().map { cell("td", $0.offset, $0.element) }.joined() + "</tr>"
        }
        return out + "</table>"
    }
}

import ArgumentParser
import InferplanKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a sweep's results as one self-contained HTML page with SVG charts.",
        discussion: "Example: inferplan report out/scaling --html scaling.html"
    )

    @Argument(help: "A sweep results folder (or its results.jsonl).")
    var results: String

    @Option(name: .long, help: "The HTML file to write (never overwritten without --force).")
    var html: String

    @Flag(name: .long, help: "Replace --html if it exists.")
    var force = false

    func run() throws {
        let report = try SweepHTMLReport(results: results)
        var output = OutputOptions()
        output.output = html
        output.force = force
        try output.write(report.html())
        print("wrote \(html) (\(report.rows.count) points)")
    }
}

import ArgumentParser
import InferplanKit

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the GPUs, models, benchmark presets and efficiency profiles a scenario can name."
    )

    @OptionGroup var output: OutputOptions

    func run() throws {
        if output.format == .html { throw ValidationError("--format html is for `inferplan run`; use text or json here") }
        let listing = try CatalogListing(catalog: .bundled)
        try output.write(output.format == .json ? try ReportJSON.encode(listing) : listing.text())
    }
}

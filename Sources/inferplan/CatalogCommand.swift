import ArgumentParser
import InferplanKit

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the GPUs, models, benchmark presets and efficiency profiles a scenario can name."
    )

    @OptionGroup var output: OutputOptions

    func run() throws {
        let listing = try CatalogListing(catalog: .bundled)
        try output.write(text: listing.text, json: { try ReportJSON.encode(listing) }, html: listing.html)
    }
}

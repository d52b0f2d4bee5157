import ArgumentParser
import InferplanKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Predict published results from their descriptions and print the signed error of each.",
        discussion: """
        The CSV has the columns of ../shared/validation/mlperf-train.csv. An empty tensor_parallel means:
        choose the deployment a submitter would, the highest-throughput one that fits (marked *).

        Example:
          inferplan validate ../shared/validation/mlperf-train.csv
        """
    )

    @Argument(help: "A CSV of published results.")
    var csv: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let table = try CSVTable(path: csv)
        let report = try Validator().validate(table)
        try output.write(output.format == .json ? try ReportJSON.encode(report) : report.text())
    }
}

import ArgumentParser
import Foundation
import InferplanKit

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit the efficiency profiles' parameters to published Offline results, and cross-validate them.",
        discussion: """
        Per software stack: the compute efficiency of each format and the achieved bandwidth (where the \
        stack's rows span enough bandwidths to tell them apart), by GSL least squares on \
        log(predicted / published), on the CSV given or, without one, the copy of \
        ../shared/validation/mlperf-train.csv shipped with inferplan. Prints every parameter with its standard error and source, and the \
        in-sample errors of every row predicted with them. It changes no file: copy values into \
        Sources/InferplanKit/Catalog/efficiency/<profile>.yaml knowingly.

        --cross-validate refits without each accelerator, model or round in turn and predicts the rows \
        left out: the out-of-group errors are the honest measure of accuracy.

        Examples:
          inferplan fit
          inferplan fit --cross-validate accelerator --cross-validate model \\
            --cross-validate round --format json
        """
    )

    @Argument(help: "A CSV of published results (default: the training file shipped with inferplan, a copy of ../shared/validation/mlperf-train.csv).")
    var csv: String?

    @Option(name: .long, help: "Leave-one-group-out cross-validation by accelerator, model or round (repeatable).")
    var crossValidate: [EfficiencyFit.Grouping] = []

    @Option(name: .long, help: "Simulations run at once (default: all cores).")
    var jobs: Int?

    @OptionGroup var model: ModelOptions

    @Flag(name: .long, help: "Fit one release per stack: ignore the rounds' release factors (to compare).")
    var withoutStackReleases = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try output.refuseHTML(command: "fit")
        let table = try CSVTable(path: csv ?? Catalog.publishedResultsPath)
        var validator = Validator()
        model.apply(to: &validator)
        validator.stackReleases = !withoutStackReleases
        let fit = EfficiencyFit(validator: validator, jobs: max(1, jobs ?? availableCores))
        let display = ProgressDisplay(label: "fit", unit: "simulations")
        let progress: @Sendable (String, Int, Int) -> Void = { _, done, total in display.update(done: done, total: total) }
        let (report, crossValidations) = try fit.run(table, crossValidate: crossValidate, progress: progress)
        if output.format == .json {
            try output.write(try ReportJSON.encode(FitJSON(fit: report.json, crossValidations: crossValidations.map(\.json))))
        } else {
            try output.write(([report.text()] + crossValidations.map { $0.text() }).joined(separator: "\n"))
        }
    }
}

extension EfficiencyFit.Grouping: ExpressibleByArgument {}

/// `fit --format json`: the in-sample fit and each cross-validation.
private struct FitJSON: Encodable {
    var fit: FitReport.JSON
    var crossValidations: [CrossValidation.JSON]
    enum CodingKeys: String, CodingKey { case fit, crossValidations }
}

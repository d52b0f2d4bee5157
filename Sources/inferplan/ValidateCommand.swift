import ArgumentParser
import InferplanKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Predict published results from their descriptions and print the signed error of each.",
        discussion: """
        The CSV has the columns of mlperf-train.csv; without one, the copy of \
        ../shared/validation/mlperf-train.csv shipped with inferplan is used (333 MLPerf results of rounds \
        v4.0-v5.1). An empty tensor_parallel means: choose the deployment a submitter would, the one with \
        the highest steady-state Offline rate that fits (marked *).

        Examples:
          inferplan validate
          inferplan validate --format html --output validation.html
          inferplan validate my-results.csv --jobs 2 --format json
          inferplan validate --video --fit
        """
    )

    @Argument(help: "A CSV of published results (default: the training file shipped with inferplan, a copy of ../shared/validation/mlperf-train.csv).")
    var csv: String?

    @Option(name: .customLong("efficiency"), help: "An efficiency to use instead of the catalog's: profile=value (compute, every format), profile:fp8=value, or profile:bandwidth=value (repeatable; for what-ifs).")
    var computeEfficiency: [String] = []

    @Option(name: .long, help: "Rows predicted at once (default: all cores).")
    var jobs: Int?

    @OptionGroup var model: ModelOptions

    @Flag(name: .long, help: "Compare scaling instead: per-GPU throughput of a submitter's larger systems over its smallest, published and predicted (only the rows that form such pairs are predicted).")
    var scaling = false

    @Flag(name: .long, help: "Predict the published text-to-video results instead (Catalog/published/mlperf-video.csv, or the CSV given).")
    var video = false

    @Flag(name: .long, help: "With --video: first fit each stack's video compute efficiency on the rows, then predict with it.")
    var fit = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        if fit && !video { throw ValidationError("--fit applies to --video; the LLM efficiencies are fitted by `inferplan fit`") }
        if video {
            try output.refuseHTML(command: "validate --video")
            let comparison = try VideoValidation(path: csv ?? VideoValidation.publishedPath, fit: fit)
            try output.write(text: { comparison.text }, json: { try ReportJSON.encode(comparison) }, html: nil)
            return
        }
        let table = try CSVTable(path: csv ?? Catalog.publishedResultsPath)
        var validator = Validator()
        model.apply(to: &validator)
        for item in computeEfficiency {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let value = Double(parts[1]), value > 0, value <= 1 else {
                throw ValidationError("--efficiency takes profile=value, profile:format=value or profile:bandwidth=value with a value in (0, 1], e.g. nvidia-tensorrt-llm:fp8=0.6")
            }
            validator.efficiencyOverrides[String(parts[0])] = value
        }
        let progress = ProgressDisplay(label: "validate", unit: "rows")
        if scaling {
            try output.refuseHTML(command: "validate --scaling")
            let results = try table.rows.map { try PublishedResult(row: $0, file: table.file) }
            let wanted = Set(ScalingValidation.pairs(of: results).flatMap { [$0.reference, $0.row] })
            let chosen = results.indices.filter(wanted.contains)
            let predicted = validator.validate(chosen.map { results[$0] }, jobs: max(1, jobs ?? availableCores)) { progress.update(done: $0, total: $1) }
            if let bug = predicted.lazy.compactMap(\.internalError).first { throw bug }
            let comparison = ScalingValidation(rows: predicted)
            try output.write(text: comparison.text, json: { try ReportJSON.encode(comparison) }, html: nil)
            return
        }
        let report = try validator.validate(table, jobs: max(1, jobs ?? availableCores)) { progress.update(done: $0, total: $1) }
        if let bug = report.rows.lazy.compactMap(\.internalError).first { throw bug }
        try output.write(text: report.text, json: { try ReportJSON.encode(report) }, html: { report.html(file: csv ?? Catalog.publishedResultsPath) })
    }
}

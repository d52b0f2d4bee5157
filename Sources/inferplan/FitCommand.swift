import ArgumentParser
import InferplanKit

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit each efficiency profile's compute efficiency to published Offline results (GSL least squares).",
        discussion: """
        Prints the fitted value, its standard error and the residual of every row. It changes no file:
        copy a value into Sources/InferplanKit/Catalog/efficiency/<profile>.yaml (or your own profile) knowingly.

        Example:
          inferplan fit ../shared/validation/mlperf-train.csv
        """
    )

    @Argument(help: "A CSV of published results (the columns of mlperf-train.csv).")
    var csv: String

    @Option(name: .customLong("profile"), help: "Fit only this efficiency profile (repeatable).")
    var profiles: [String] = []

    @Option(name: .long, help: "Fit with this overlap exponent instead of each profile's (e.g. 2, or inf).")
    var overlapExponent: Double?

    @Option(name: .long, help: "Fit with this GEMM half-efficiency token count instead of each profile's.")
    var gemmHalfEfficiencyTokens: Double?

    func run() throws {
        var validator = Validator()
        validator.overlapExponentOverride = overlapExponent
        validator.gemmHalfEfficiencyTokensOverride = gemmHalfEfficiencyTokens
        let results = try EfficiencyFit(validator: validator).fit(CSVTable(path: csv), profiles: profiles.isEmpty ? nil : Set(profiles))
        print(EfficiencyFit.text(results), terminator: "")
    }
}

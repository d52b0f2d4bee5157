import Foundation

/// Fits the efficiency profiles' few parameters to the Offline rows of a published-results file,
/// and measures how well they predict rows they were not fitted on (`run(_:crossValidate:)`).
///
/// The parameters, per software stack (efficiency profile), never per row:
/// - `profile:fp8` (and `profile:bf16`): the compute efficiency of the format the rows' weight
///   GEMMs run in, fitted together with
/// - `profile:bandwidth`: the achieved share of HBM bandwidth, where the stack's rows span GPUs
///   whose bandwidths differ by at least 1.5x (else it cannot be told from compute and stays as
///   stated);
/// - `profile:fp4`: fitted afterwards on the FP4 rows, the others held (an FP4 row's attention runs
///   in its FP8 KV cache, while no FP8 row depends on FP4);
/// - `profile@round`: the stack's release factor for each MLPerf round with at least
///   `minimumRowsPerRelease` Offline rows, relative to the newest such round (factor 1): the same
///   silicon gets faster kernels release by release. Fitted with the first format whose rows it
///   has; a round with fewer rows takes the factor of the fitted round before it
///   (`EfficiencyProfile.effectiveRelease`), as a prediction for a round not yet run does.
/// A parameter without rows of its own takes a stated rule: an FP4 efficiency from its stack's FP8
/// one times the FP4/FP8 ratio another stack shows; an FP8 one from another stack's.
///
/// Every prediction is a full simulation. So that a fit costs seconds and a cross-validation
/// minutes, each Offline row is first simulated on a grid of (compute, bandwidth) efficiencies
/// (`ResponseTable`), and the fit (GSL trust-region least squares with a Huber loss on
/// log(predicted/published), parameters bounded to the grid) interpolates that grid; the reported
/// predictions are then simulated afresh at the fitted values, each row's tensor parallelism chosen
/// again at them.
public struct EfficiencyFit: Sendable {
    /// One fitted or stated parameter.
    public struct Parameter: Sendable, Encodable {
        public var key: String
        public var value: Double
        public var standardError: Double?
        public var rows: Int
        /// "fitted", or the rule that stated it.
        public var source: String
    }

    /// How rows are grouped for leave-one-group-out cross-validation.
    public enum Grouping: String, CaseIterable, Sendable, Encodable {
        case accelerator, model, round

        func key(_ result: PublishedResult) -> String {
            switch self {
            case .accelerator: return result.accelerator
            case .model: return result.benchmark
            case .round: return result.round ?? "?"
            }
        }
    }

    /// Compute efficiencies and bandwidth efficiencies the response grid samples.
    static let computeGrid = [0.25, 0.35, 0.5, 0.7, 1.0]
    static let bandwidthGrid = [0.55, 0.75, 1.0]
    /// Bandwidths of a stack's rows must differ by this factor for its bandwidth to be fitted.
    static let bandwidthSpreadToFit = 1.5
    /// A round needs this many Offline rows of a stack for its release factor to be fitted: fewer
    /// would let one submitter's result set a parameter of its own.
    static let minimumRowsPerRelease = 5
    /// Where a release factor may lie.
    static let releaseBounds = 0.5...1.5

    public var validator: Validator
    public var jobs: Int

    public init(validator: Validator = Validator(), jobs: Int = 1) {
        self.validator = validator
        self.jobs = jobs
    }

    /// One Offline row and its prediction over the efficiency grid (at the tensor parallelism
    /// chosen with the catalog's values).
    struct Prepared: Sendable {
        var result: PublishedResult
        var profile: String
        var computeKey: String
        var bandwidthKey: String
        var width: Int
        var memoryBytesPerSecond: Double
        var table: ResponseTable
        /// The release factor the row's compute efficiency takes (`profile@round`); nil: the
        /// reference release (factor 1) or no round.
        var releaseKey: String?

        /// log(predicted / published) at the given parameter values.
        func residual(_ values: [String: Double], catalog: [String: Double]) -> Double {
            let factor = releaseKey.map { values[$0] ?? 1 } ?? 1
            return table.logPrediction(compute: min(1, (values[computeKey] ?? catalog[computeKey]!) * factor),
                                       bandwidth: values[bandwidthKey] ?? catalog[bandwidthKey]!) - log(result.tokensPerSecond!)
        }
    }

    /// The Offline rows of `table` that can be predicted, each tabulated over the grid.
    func prepare(_ results: [PublishedResult], progress: (@Sendable (Int, Int) -> Void)?) -> (rows: [Prepared], catalog: [String: Double]) {
        let validator = self.validator
        struct Setup: Sendable { var result: PublishedResult; var scenario: Scenario; var format: ComputeFormat }
        let setups = results.filter { $0.scenario == "offline" && $0.tokensPerSecond != nil && $0.runsCatalogStack }
            .parallelMap(jobs: jobs) { result -> Setup? in
                guard let tp = try? validator.deployedTensorParallel(for: result),
                      let scenario = try? validator.scenario(for: result, tensorParallel: tp) else { return nil }
                let layout = WeightLayout(model: scenario.model, precision: scenario.precision)
                let format = scenario.gpu.computeFormat(for: (scenario.model.moe == nil ? layout.mlpFormat : layout.expertFormat).preferredCompute)
                return Setup(result: result, scenario: scenario, format: format)
            }.compactMap { $0 }
        var catalog: [String: Double] = [:]
        for setup in setups {
            let efficiency = setup.scenario.gpu.efficiency
            catalog[efficiency.parameterKey(setup.format)] = efficiency.computeEfficiency(setup.format)
            catalog[efficiency.bandwidthKey] = efficiency.bandwidth
        }
        // Every (row, grid point) is one simulation; all of them in one parallel pass.
        let points = setups.indices.flatMap { row in
            Self.computeGrid.flatMap { c in Self.bandwidthGrid.map { b in (row, c, b) } }
        }
        let logPredictions = points.parallelMap(jobs: jobs, progress: progress) { (row, compute, bandwidth) -> Double in
            var scenario = setups[row].scenario
            let efficiency = scenario.gpu.efficiency
            scenario.groups = scenario.groups.map { group in
                var group = group
                group.gpu.efficiency.apply(overrides: [efficiency.parameterKey(setups[row].format): compute, efficiency.bandwidthKey: bandwidth])
                return group
            }
            // The grid is of the compute efficiency the row runs at: its release factor is the fit's.
            for index in scenario.groups.indices { scenario.groups[index].gpu.efficiency.release = nil }
            guard let outcome = try? ScenarioRun.outcome(scenario), outcome.metrics.outputTokensPerSecond > 0 else { return .nan }
            return log(outcome.metrics.outputTokensPerSecond)
        }
        let perRow = Self.computeGrid.count * Self.bandwidthGrid.count
        let rows = setups.enumerated().compactMap { index, setup -> Prepared? in
            let values = Array(logPredictions[index * perRow..<(index + 1) * perRow])
            guard values.allSatisfy(\.isFinite) else { return nil }
            let efficiency = setup.scenario.gpu.efficiency
            return Prepared(result: setup.result, profile: efficiency.id,
                            computeKey: efficiency.parameterKey(setup.format), bandwidthKey: efficiency.bandwidthKey,
                            width: setup.format.width, memoryBytesPerSecond: setup.scenario.gpu.memoryBytesPerSecond,
                            table: ResponseTable(computes: Self.computeGrid, bandwidths: Self.bandwidthGrid, logPredictions: values))
        }
        return (rows, catalog)
    }

    /// Each row's release factor key, from the rounds of its stack that have enough rows, and per
    /// stack the reference round (the newest of them, factor 1).
    static func assignReleases(_ rows: [Prepared]) -> (rows: [Prepared], references: [String: String]) {
        var fitted: [String: [String]] = [:]
        for profile in Set(rows.map(\.profile)) {
            let rounds = rows.filter { $0.profile == profile }.compactMap(\.result.round)
            fitted[profile] = Set(rounds).filter { round in rounds.filter { $0 == round }.count >= minimumRowsPerRelease }
                .sorted { EfficiencyProfile.releaseOrder($0, $1) }
        }
        let references = fitted.compactMapValues(\.last)
        let assigned = rows.map { row -> Prepared in
            var row = row
            let release = EfficiencyProfile.effectiveRelease(row.result.round, among: fitted[row.profile] ?? [])
            row.releaseKey = release.flatMap { $0 == references[row.profile] ? nil : "\(row.profile)@\($0)" }
            return row
        }
        return (assigned, references)
    }

    /// Where a parameter may lie: inside the grid it was tabulated on (no extrapolation), and never
    /// above 1.
    static func bounds(_ key: String) -> ClosedRange<Double> {
        if key.contains("@") { return releaseBounds }
        return key.hasSuffix(":bandwidth") ? bandwidthGrid.first!...bandwidthGrid.last! : computeGrid.first!...computeGrid.last!
    }

    static func bounded(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) / (1 + exp(-x))
    }

    static func unbounded(_ value: Double, _ range: ClosedRange<Double>) -> Double {
        let fraction = min(0.999, max(0.001, (value - range.lowerBound) / (range.upperBound - range.lowerBound)))
        return log(fraction / (1 - fraction))
    }

    /// Residuals within this (in log space, about 16%) count as squares; beyond, linearly (Huber):
    /// the spread of one system's results across submitters is several percent, and a few results of
    /// other software or settings sit far beyond it; they must not steer a stack's parameters.
    static let huberThreshold = 0.15

    /// A residual whose square is its Huber loss.
    static func huber(_ r: Double) -> Double {
        let d = huberThreshold
        return abs(r) <= d ? r : (r < 0 ? -1 : 1) * (2 * d * (abs(r) - d / 2)).squareRoot()
    }

    /// Fits the parameters on `rows` (see the type's description), with the stated rules for
    /// parameters that have no rows.
    func fitParameters(_ rows: [Prepared], catalog: [String: Double]) throws -> [String: Parameter] {
        let (rows, references) = validator.stackReleases ? Self.assignReleases(rows) : (rows, [:])
        var parameters: [String: Parameter] = [:]
        var values: [String: Double] = [:]
        for (profile, round) in references {
            let key = "\(profile)@\(round)"
            values[key] = 1
            parameters[key] = Parameter(key: key, value: 1, rows: rows.filter { $0.profile == profile && $0.result.round == round }.count,
                                        source: "reference: the newest release with rows")
        }
        let profiles = Set(catalog.keys.map { String($0.split(separator: ":")[0]) }).sorted()
        // Widest formats first: FP8 (with the bandwidth), then FP4 with both held.
        for width in [16, 8, 6, 4] {
            for profile in profiles {
                let mine = rows.filter { $0.profile == profile && $0.width == width }
                guard let first = mine.first else { continue }
                var keys = [first.computeKey]
                let bandwidths = mine.map(\.memoryBytesPerSecond)
                let bandwidthKey = first.bandwidthKey
                if parameters[bandwidthKey] == nil, bandwidths.max()! >= Self.bandwidthSpreadToFit * bandwidths.min()! {
                    keys.append(bandwidthKey)
                }
                keys += Set(mine.compactMap(\.releaseKey)).filter { values[$0] == nil }.sorted()
                let held = values
                let bounds = keys.map(Self.bounds)
                let fit = try LeastSquares.fit(initial: zip(keys, bounds).map { Self.unbounded(catalog[$0] ?? 1, $1) }, step: 1e-3) { x in
                    var trial = held
                    for (index, key) in keys.enumerated() { trial[key] = Self.bounded(x[index], bounds[index]) }
                    return mine.map { Self.huber($0.residual(trial, catalog: catalog)) }
                }
                for (index, key) in keys.enumerated() {
                    let value = Self.bounded(fit.parameters[index], bounds[index])
                    values[key] = value
                    // Delta method through the bounding transform.
                    let slope = (value - bounds[index].lowerBound) * (bounds[index].upperBound - value) / (bounds[index].upperBound - bounds[index].lowerBound)
                    parameters[key] = Parameter(key: key, value: value, standardError: slope * fit.standardErrors[index],
                                                rows: mine.count, source: "fitted")
                }
            }
        }
        // Stated rules for what no row informs.
        for key in catalog.keys.sorted() where parameters[key] == nil {
            let parts = key.split(separator: ":").map(String.init)
            let (profile, name) = (parts[0], parts[1])
            if name == "bandwidth" {
                parameters[key] = Parameter(key: key, value: catalog[key]!, rows: 0, source: "stated in the profile (not identifiable from its rows)")
            } else if name == "fp4", let fp8 = values["\(profile):fp8"],
                      let other = profiles.first(where: { values["\($0):fp4"] != nil && values["\($0):fp8"] != nil }) {
                let value = fp8 * values["\(other):fp4"]! / values["\(other):fp8"]!
                parameters[key] = Parameter(key: key, value: value, rows: 0, source: "stated: \(profile):fp8 x \(other):fp4 / \(other):fp8")
            } else if let other = profiles.first(where: { values["\($0):\(name)"] != nil }) {
                parameters[key] = Parameter(key: key, value: values["\(other):\(name)"]!, rows: 0, source: "stated: \(other):\(name)")
            } else {
                parameters[key] = Parameter(key: key, value: catalog[key]!, rows: 0, source: "catalog value (no rows to fit or transfer)")
            }
        }
        return parameters
    }

    /// The in-sample fit - parameters fitted on every Offline row, every row of `table` (all
    /// scenarios) predicted with them - and for each of `groupings` a leave-one-group-out
    /// cross-validation: for each group, the parameters refitted on the other groups' Offline rows
    /// predict the group's rows. The held-out errors are the honest ones.
    public func run(_ table: CSVTable, crossValidate groupings: [Grouping] = [],
                    progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> (fit: FitReport, crossValidations: [CrossValidation]) {
        let results = try table.rows.map { try PublishedResult(row: $0, file: table.file) }
        let (rows, catalog) = prepare(results) { progress?("tabulating", $0, $1) }
        let parameters = try fitParameters(rows, catalog: catalog)
        // Every prediction job at once: the in-sample one, then each held-out group's.
        var jobs: [(result: PublishedResult, parameters: [String: Double])] = results.map { ($0, parameters.mapValues(\.value)) }
        var folds: [(grouping: Grouping, fold: CrossValidation.Fold)] = []
        for grouping in groupings {
            for group in Array(Set(results.map(grouping.key))).sorted() {
                let refitted = try fitParameters(rows.filter { grouping.key($0.result) != group }, catalog: catalog)
                folds.append((grouping, .init(group: group, parameters: refitted.values.sorted { $0.key < $1.key }, rows: [])))
                jobs += results.filter { grouping.key($0) == group }.map { ($0, refitted.mapValues(\.value)) }
            }
        }
        let validator = self.validator
        var predictions = jobs.parallelMap(jobs: self.jobs, progress: { progress?("predicting", $0, $1) }) { job in
            var fold = validator
            fold.efficiencyOverrides.merge(job.parameters) { $1 }
            return fold.validate(job.result)
        }[...]
        let fit = FitReport(parameters: parameters.values.sorted { $0.key < $1.key },
                            report: ValidationReport(header: table.header, rows: Array(predictions.prefix(results.count))))
        predictions = predictions.dropFirst(results.count)
        var crossValidations: [CrossValidation] = []
        for grouping in groupings {
            var done: [CrossValidation.Fold] = []
            for (foldGrouping, fold) in folds where foldGrouping == grouping {
                var fold = fold
                let count = results.filter { grouping.key($0) == fold.group }.count
                fold.rows = Array(predictions.prefix(count))
                predictions = predictions.dropFirst(count)
                done.append(fold)
            }
            crossValidations.append(CrossValidation(grouping: grouping, folds: done))
        }
        return (fit, crossValidations)
    }
}

/// Predictions of a model over the grid of (compute, bandwidth) efficiencies, interpolated
/// bilinearly in log-log space (and extrapolated linearly beyond the grid).
struct ResponseTable: Sendable {
    var computes: [Double]
    var bandwidths: [Double]
    /// log(prediction), compute-major: index c x bandwidths.count + b.
    var logPredictions: [Double]

    func logPrediction(compute: Double, bandwidth: Double) -> Double {
        let (c0, tc) = Self.locate(log(compute), in: computes.map(log))
        let (b0, tb) = Self.locate(log(bandwidth), in: bandwidths.map(log))
        func at(_ c: Int, _ b: Int) -> Double { logPredictions[c * bandwidths.count + b] }
        let low = at(c0, b0) + tb * (at(c0, b0 + 1) - at(c0, b0))
        let high = at(c0 + 1, b0) + tb * (at(c0 + 1, b0 + 1) - at(c0 + 1, b0))
        return low + tc * (high - low)
    }

    /// The grid cell [i, i+1] for `x` and its fraction along it (outside the grid: the end cell,
    /// with a fraction below 0 or above 1).
    static func locate(_ x: Double, in grid: [Double]) -> (Int, Double) {
        var i = 0
        while i < grid.count - 2 && x > grid[i + 1] { i += 1 }
        return (i, (x - grid[i]) / (grid[i + 1] - grid[i]))
    }
}

/// The in-sample fit: its parameters and the predictions they give.
public struct FitReport: Sendable {
    public var parameters: [EfficiencyFit.Parameter]
    public var report: ValidationReport
}

/// One leave-one-group-out cross-validation.
public struct CrossValidation: Sendable {
    public struct Fold: Sendable {
        public var group: String
        /// The parameters refitted without the group.
        public var parameters: [EfficiencyFit.Parameter]
        /// The group's rows predicted with them.
        public var rows: [ValidationRow]
    }

    public var grouping: EfficiencyFit.Grouping
    public var folds: [Fold]

    /// Every held-out prediction.
    public var rows: [ValidationRow] { folds.flatMap(\.rows) }
}

import Foundation

/// Fits each efficiency profile's compute efficiency to the Offline rows of a published-results
/// file: one parameter per hardware generation and software stack, never per row.
///
/// The residual of a row is log(predicted / published), so over- and under-prediction weigh the
/// same; the fit runs the full simulation for every evaluation (GSL trust-region LM with
/// finite-difference Jacobian, `LeastSquares`).
public struct EfficiencyFit {
    public struct Row: Sendable {
        public var line: Int
        public var description: String
        public var published: Double
        public var predicted: Double
        public var errorPercent: Double { (predicted - published) / published * 100 }
    }

    public struct Result: Sendable {
        public var profile: String
        public var catalogValue: Double
        public var fitted: Double
        /// Standard error of the fitted value (from the log-space fit, to first order).
        public var standardError: Double
        public var rows: [Row]
        public var iterations: Int
        /// Root mean square of log(predicted / published) at the fitted value.
        public var rmsLogError: Double
    }

    public var validator: Validator

    public init(validator: Validator = Validator()) {
        self.validator = validator
    }

    /// Fits every profile that has at least one predictable Offline row (or only `profiles`).
    public func fit(_ table: CSVTable, profiles: Set<String>? = nil) throws -> [Result] {
        let results = try table.rows.map { try PublishedResult(row: $0, file: table.file) }
            .filter { $0.scenario == "offline" && $0.tokensPerSecond != nil && validator.validate($0).predicted != nil }
        var byProfile: [String: [PublishedResult]] = [:]
        var catalogValues: [String: Double] = [:]
        for result in results {
            let gpu = try validator.catalog.gpu(validator.catalog.document(.gpus, id: result.accelerator), baseDirectory: ".")
            byProfile[gpu.efficiency.id, default: []].append(result)
            catalogValues[gpu.efficiency.id] = gpu.efficiency.compute
        }
        return try byProfile.keys.sorted().filter { profiles?.contains($0) ?? true }.map { profile in
            let rows = byProfile[profile]!
            func predictions(_ compute: Double) -> [Double] {
                var validator = self.validator
                validator.computeEfficiencyOverrides[profile] = compute
                return rows.map { validator.validate($0).predicted ?? .nan }
            }
            let fit = try LeastSquares.fit(initial: [log(catalogValues[profile]!)]) { x in
                zip(predictions(exp(x[0])), rows).map { log($0 / $1.tokensPerSecond!) }
            }
            let fitted = exp(fit.parameters[0])
            let final = predictions(fitted)
            return Result(
                profile: profile, catalogValue: catalogValues[profile]!, fitted: fitted, standardError: fitted * fit.standardErrors[0],
                rows: zip(rows, final).map { Row(line: $0.line, description: "\($0.benchmark) \($0.gpus) x \($0.accelerator) \($0.weights)",
                                                 published: $0.tokensPerSecond!, predicted: $1) },
                iterations: fit.iterations, rmsLogError: fit.rms)
        }
    }

    public static func text(_ results: [Result]) -> String {
        var lines: [String] = []
        for result in results {
            lines.append("\(result.profile): compute_efficiency \(Format.fixed(result.fitted, 3)) +/- \(Format.fixed(result.standardError, 3)) (catalog \(Format.fixed(result.catalogValue, 3))); \(result.rows.count) rows, \(result.iterations) iterations, rms log error \(Format.fixed(result.rmsLogError, 3))")
            for row in result.rows {
                lines.append("    line \(Format.pad(String(row.line), 3, right: false)) \(Format.pad(row.description, 34, right: false)) published \(Format.pad(Format.grouped(row.published, decimals: 0), 9)) predicted \(Format.pad(Format.grouped(row.predicted, decimals: 0), 9)) \(String(format: "%+6.1f%%", row.errorPercent))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

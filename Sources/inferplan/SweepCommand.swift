import ArgumentParser
import Foundation
import InferplanKit

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of a sweep (a base scenario and axes over its keys), in parallel and resumably.",
        discussion: """
        Results go to --output as results.csv and results.jsonl, a line per point as it finishes. \
        Interrupted (Ctrl-C, kill) and run again with the same command, a sweep resumes: no point lost, \
        none run twice.

        Examples:
          inferplan sweep Scenarios/sweeps/ci.yaml --jobs 2 --output out/ci
          # one slice of a job array, then the slices joined:
          inferplan sweep big.yaml --shard 3/16 --output out/big-3
          inferplan merge out/big-* --output out/big
          # the CI gate:
          inferplan sweep Scenarios/sweeps/ci.yaml \\
            --check Scenarios/sweeps/ci-baseline.csv --tolerance 2%
          # on a Slurm cluster: a job array of 16 shards and a merge after it
          inferplan sweep big.yaml --slurm --array 16 --cpus-per-task 8 --output out/big
          inferplan sweep-status out/big
          inferplan sweep --slurm --resubmit out/big   # only the shards not done
        """
    )

    @Argument(help: "The sweep YAML file (not needed with --resubmit).")
    var sweep: String?

    @Option(name: .long, help: "Points run at once (default: all cores).")
    var jobs: Int?

    @Option(name: .shortAndLong, help: "Results folder (default: out/<sweep name>).")
    var output: String?

    @Option(name: .long, help: "Run only slice i of n, e.g. --shard 2/8.")
    var shard: String?

    @Option(name: .long, help: "Compare the results with this baseline CSV and fail on differences.")
    var check: String?

    @Option(name: .long, help: "Allowed relative change of a headline figure for --check, e.g. 2% or 0.02.")
    var tolerance: String = "2%"

    @OptionGroup(title: "Clusters") var cluster: ClusterOptions

    func validate() throws {
        try JobsOption.check(jobs)
        try cluster.check(sweep: sweep, shard: shard, check: check)
    }

    func run() throws {
        if let directory = cluster.resubmit { return try cluster.resubmit(directory) }
        guard let sweep else { throw ValidationError("give the sweep file, e.g. inferplan sweep Scenarios/sweeps/ci.yaml") }
        let definition = try SweepDefinition(path: sweep)
        if cluster.slurm || cluster.k8s {
            return try cluster.write(definition, output: output ?? "out/\(definition.name)")
        }
        let slice = try shard.map(Shard.init(parsing:)) ?? .whole
        let limit = try Self.tolerance(tolerance)
        let folder = output ?? "out/\(definition.name)"
        let results = try SweepResults(directory: folder, sweep: definition, shard: slice)
        let display = ProgressDisplay(label: "sweep \(definition.name)")
        let jobs = JobsOption.count(self.jobs)
        Console.err("sweep \(definition.name): \(definition.count) points (\(definition.mode.rawValue) over \(definition.axes.map(\.keyPath).joined(separator: ", "))), \(slice.count > 1 ? "shard \(slice.index)/\(slice.count), " : "")\(jobs) jobs, results in \(folder)\n")
        let runner = SweepRunner(sweep: definition, results: results, shard: slice, jobs: jobs) { done, total in
            display.update(done: done, total: total)
        }
        guard try runner.run() else {
            Console.err("\ninterrupted: \(results.rows.count) of \(runner.points.count) points are saved in \(folder); run the same command to resume\n")
            throw ExitCode(130)
        }
        let invalid = results.rows.values.filter { $0.error != nil }.count
        print("\(results.rows.count) points in \(results.csvPath)\(invalid > 0 ? " (\(invalid) invalid, with their errors)" : "")")
        if let check {
            let outcome = try SweepCheck(results: CSVTable(path: results.csvPath), baseline: CSVTable(path: check),
                                         axes: definition.axes.map(\.keyPath), tolerance: limit)
            if outcome.passed {
                print("check: \(outcome.compared) points within \(tolerance) of \(check)")
            } else {
                for finding in outcome.findings { print("check: \(finding)") }
                print("check FAILED: \(outcome.findings.count) difference(s) from \(check); if the change is intended, copy \(results.csvPath) over it")
                throw ExitCode(1)
            }
        }
    }

    static func tolerance(_ text: String) throws -> Double {
        let percent = text.hasSuffix("%")
        guard let value = Double(percent ? String(text.dropLast()) : text), value >= 0, value.isFinite else {
            throw ValidationError("--tolerance takes a relative change such as 2% or 0.02")
        }
        return percent ? value / 100 : value
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the results folders of a sweep's shards into one.",
        discussion: "Example: inferplan merge out/big-1 out/big-2 out/big-3 --output out/big"
    )

    @Argument(help: "Results folders of the shards.")
    var folders: [String]

    @Option(name: .shortAndLong, help: "The merged results folder (must not hold results yet).")
    var output: String

    @Flag(name: .long, help: "Merge even when the shards do not cover every point of the sweep.")
    var allowIncomplete = false

    @Flag(name: .long, help: "Replace results files already in --output.")
    var force = false

    func run() throws {
        let count = try SweepMerge.merge(directories: folders, into: output, allowIncomplete: allowIncomplete, force: force)
        print("\(count) points in \((output as NSString).appendingPathComponent("results.csv"))")
    }
}

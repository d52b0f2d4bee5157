import Foundation

/// One fuzz case: the files it writes into its own folder, the `inferplan` arguments, how standard
/// output is wired, and what an exit-0 outcome must satisfy.
struct FuzzCase {
    enum Kind: String, CaseIterable {
        case scenarioTree = "run: scenario tree", scenarioBytes = "run: scenario bytes", set = "run: --set"
        case trace = "run: trace", sweep = "sweep", merge = "merge", report = "report", scale = "scale"
        case validate = "validate", ioFault = "I/O fault"
    }

    /// How the case's standard output is wired.
    enum Output { case file, devFull, closed }

    var number: Int
    var kind: Kind
    /// What was done to the input, for the failure list.
    var what: String
    /// Files to write into the case's folder before running (relative path -> bytes).
    var files: [String: String] = [:]
    /// Folders to copy into the case's folder (relative destination -> source).
    var copies: [String: String] = [:]
    /// `inferplan` arguments; `{dir}` stands for the case's folder.
    var arguments: [String]
    var output: Output = .file
    /// Runs the case asked for: the hang limit is this many times the limit of one run (a sweep
    /// of 9 points, a scaling study of 3 node counts).
    var runs = 1
    /// What an exit-0 run must satisfy, given the case folder and standard output.
    var check: Check = .none

    enum Check {
        case none
        /// A `run --format json` report on standard output.
        case runReport
        /// A `scale --format json` study on standard output.
        case scaleReport
        /// A results folder holding `points` rows in results.csv.
        case results(folder: String, points: Int)
        /// A file that must exist and not be empty.
        case file(String)
    }
}

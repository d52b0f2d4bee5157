/// A scenario as the user wrote it, decoded and resolved against the catalog: what to deploy on
/// what, and what load to apply. `Scenario+Loading.swift` reads it from YAML;
/// `Scenario+Deployment.swift` checks it physically and builds the `Deployment`.
public struct Scenario: Sendable {
    public var name: String
    /// The file it came from, as the user named it.
    public var file: String
    public var model: ModelArchitecture
    /// The cluster's node groups (one unless `hardware.node_groups` names several).
    public var groups: [NodeGroup]
    public var precision: Precision
    public var parallelism: Parallelism
    public var tensorParallel: Int { parallelism.tensor }
    public var serving: ServingConfig
    public var workload: Workload
    public var benchmark: BenchmarkPreset?
    /// `cost:` (nil: no dollars in the report).
    public var prices: Prices?
    /// Key path -> `file:line` (or `--set ...`), for errors found after decoding.
    public var locations: [String: String]
    /// The scenario as decoded - its file, and the YAML after every `--set` - echoed with an
    /// internal error so that a bug report can be reproduced.
    public var echo: String = ""
    /// What the scenario does that is allowed but probably not meant (a benchmark preset of another
    /// model, say), each naming where it was written. Printed with the report, never silently dropped.
    public var warnings: [String] = []
    /// The overrides applied to the file, in order (`--set model=llama3.1-405b`): the report's
    /// header names them, since `name` is still the file's.
    public var overrides: [String] = []

    public var gpus: Int { groups.reduce(0) { $0 + $1.gpus } }
    public var nodes: Int { groups.reduce(0) { $0 + $1.nodes } }
    /// The first group's GPU (the only one in a homogeneous cluster).
    public var gpu: GPUSpec {
        get { groups[0].gpu }
        set { groups[0].gpu = newValue }
    }
    public var gpusPerNode: Int { groups[0].gpusPerNode }

    /// Where `keyPath` was written, for error messages.
    public func location(of keyPath: String) -> String {
        locations[keyPath] ?? file
    }

    func error(_ keyPath: String, _ problem: String, valid: String = "") -> InputError {
        InputError(location: location(of: keyPath), keyPath: keyPath, problem: problem, valid: valid)
    }
}

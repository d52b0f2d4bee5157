/// A scenario as the user wrote it, decoded and resolved against the catalog: what to deploy on
/// what, and what load to apply. `Scenario+Loading.swift` reads it from YAML;
/// `Scenario+Deployment.swift` checks it physically and builds the `Deployment`.
public struct Scenario: Sendable {
    public var name: String
    /// The file it came from, as the user named it.
    public var file: String
    public var model: ModelArchitecture
    public var gpu: GPUSpec
    public var gpusPerNode: Int
    public var nodes: Int
    public var precision: Precision
    public var tensorParallel: Int
    public var serving: ServingConfig
    public var workload: Workload
    public var benchmark: BenchmarkPreset?
    /// Key path -> `file:line` (or `--set ...`), for errors found after decoding.
    public var locations: [String: String]

    public var gpus: Int { gpusPerNode * nodes }

    /// Where `keyPath` was written, for error messages.
    public func location(of keyPath: String) -> String {
        locations[keyPath] ?? file
    }

    func error(_ keyPath: String, _ problem: String, valid: String = "") -> InputError {
        InputError(location: location(of: keyPath), keyPath: keyPath, problem: problem, valid: valid)
    }
}

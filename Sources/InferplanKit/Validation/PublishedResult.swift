/// One row of a published-results CSV (the columns of ../shared/validation/mlperf-train.csv).
public struct PublishedResult: Sendable {
    public static let requiredColumns = ["benchmark", "scenario", "accelerator", "gpus", "nodes", "tokens_per_s",
                                         "weights", "kv_cache", "tensor_parallel"]

    public var row: CSVTable.Row
    public var location: String
    public var benchmark: String
    public var scenario: String
    public var accelerator: String
    public var gpus: Int
    public var nodes: Int
    public var tokensPerSecond: Double?
    public var weights: String
    public var kvCache: String
    public var tensorParallel: Int?
    public var outputTokensPerSample: Double?
    /// The MLPerf round (`v4.1`): the release of the software stack the result ran; nil if the
    /// CSV has no round column or leaves it empty.
    public var round: String?

    public init(row: CSVTable.Row, file: String) throws {
        self.row = row
        location = "\(file):\(row.line)"
        func field(_ name: String) -> String { row.fields[name] ?? "" }
        func int(_ name: String, allowEmpty: Bool = false) throws -> Int? {
            let text = field(name)
            if text.isEmpty && allowEmpty { return nil }
            guard let value = Int(text), value > 0 else {
                throw InputError(location: "\(file):\(row.line)", keyPath: name, problem: "'\(text)' is not a positive whole number",
                                 valid: allowEmpty ? "a positive whole number, or empty" : "a positive whole number")
            }
            return value
        }
        func double(_ name: String) throws -> Double? {
            let text = field(name)
            if text.isEmpty { return nil }
            guard let value = Double(text), value > 0, value.isFinite else {
                throw InputError(location: "\(file):\(row.line)", keyPath: name, problem: "'\(text)' is not a positive number", valid: "a positive number, or empty")
            }
            return value
        }
        benchmark = field("benchmark")
        scenario = field("scenario")
        accelerator = field("accelerator")
        // `a+b` names mixed node groups; every part must name a GPU (an empty one divided by zero).
        guard !accelerator.isEmpty, accelerator.split(separator: "+", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty }) else {
            throw InputError(location: "\(file):\(row.line)", keyPath: "accelerator", problem: "'\(accelerator)' names no accelerator",
                             valid: "a catalog GPU id such as h200-sxm, or ids joined by '+' for mixed nodes (h100-sxm+h200-sxm)")
        }
        gpus = try int("gpus")!
        nodes = try int("nodes")!
        tokensPerSecond = try double("tokens_per_s")
        weights = field("weights")
        kvCache = field("kv_cache")
        tensorParallel = try int("tensor_parallel", allowEmpty: true)
        outputTokensPerSample = try double("output_tokens_per_sample")
        let round = field("round")
        guard round.isEmpty || EfficiencyProfile.isReleaseName(round) else {
            throw InputError(location: "\(file):\(row.line)", keyPath: "round", problem: "'\(round)' is not an MLPerf round",
                             valid: "a round such as v4.1 or v5.1, or empty")
        }
        self.round = round.isEmpty ? nil : round
    }
}

extension PublishedResult {
    /// False for results whose system name says they ran a software stack other than the one the
    /// catalog's efficiency profile for their GPU describes: vLLM on NVIDIA GPUs (the NVIDIA
    /// profile is TensorRT-LLM's). They are still predicted, with the GPU's profile, but not fitted
    /// on: no profile describes their stack yet.
    public var runsCatalogStack: Bool {
        let system = (row.fields["submitter_system"] ?? "").lowercased()
        let amd = accelerator.hasPrefix("mi")
        return amd || !system.contains("vllm")
    }
}

import Foundation

/// The YAML entries shipped with inferplan (GPUs, models, benchmark presets, efficiency profiles),
/// plus any file a scenario names by path. A user adds a GPU or model by writing a YAML file, never
/// by editing code.
public struct Catalog: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case gpus, models, benchmarks, efficiency, nodes

        var singular: String {
            switch self {
            case .nodes: return "node"
            case .gpus: return "gpu"
            case .models: return "model"
            case .benchmarks: return "benchmark"
            case .efficiency: return "efficiency profile"
            }
        }
    }

    /// The folder holding one sub-folder per kind.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The published MLPerf results `validate` and `fit` read by default: a copy of
    /// ../shared/validation/mlperf-train.csv shipped in the catalog (`Catalog/published/`).
    public static var publishedResultsPath: String {
        Bundle.module.resourceURL!.appendingPathComponent("Catalog/published/mlperf-train.csv").path
    }

    /// The catalog bundled as a resource of this library.
    public static var bundled: Catalog {
        Catalog(root: Bundle.module.resourceURL!.appendingPathComponent("Catalog"))
    }

    /// The ids of one kind, sorted.
    public func ids(_ kind: Kind) -> [String] {
        let folder = root.appendingPathComponent(kind.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads the entry that `reference` names: a catalog id, or a path to a YAML file (relative to
    /// `baseDirectory`, the folder of the file that holds the reference).
    public func document(_ kind: Kind, reference: YAMLValue, baseDirectory: String) throws -> YAMLValue {
        let text = try reference.string()
        if Self.looksLikePath(text) {
            let path = text.hasPrefix("/") ? text : (baseDirectory as NSString).appendingPathComponent(text)
            let found = InputPath(path)
            if found != .file {
                throw reference.error(found.words.map { "'\(path)' is \($0), not a \(kind.singular) YAML file" } ?? "no \(kind.singular) file at '\(path)'",
                                      valid: "a catalog id (\(ids(kind).joined(separator: ", "))) or a path to a YAML file")
            }
            return try YAMLDocument.load(path: path, displayName: text)
        }
        return try document(kind, id: text, from: reference)
    }

    /// Loads the catalog entry `id`; `from` locates the error if there is no such entry.
    public func document(_ kind: Kind, id: String, from: YAMLValue? = nil) throws -> YAMLValue {
        let path = root.appendingPathComponent(kind.rawValue).appendingPathComponent("\(id).yaml").path
        guard FileManager.default.fileExists(atPath: path) else {
            let problem = "unknown \(kind.singular) '\(id)'\(didYouMean(id, among: ids(kind)))"
            let valid = "one of \(ids(kind).joined(separator: ", ")), or a path to a YAML file (see `inferplan catalog`)"
            if let from { throw from.error(problem, valid: valid) }
            throw InputError(location: "catalog", keyPath: "", problem: problem, valid: valid)
        }
        return try YAMLDocument.load(path: path, displayName: "catalog/\(kind.rawValue)/\(id).yaml")
    }

    static func looksLikePath(_ text: String) -> Bool {
        text.contains("/") || text.hasSuffix(".yaml") || text.hasSuffix(".yml")
    }
}

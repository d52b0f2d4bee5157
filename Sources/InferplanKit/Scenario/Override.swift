import Yams

/// One `--set key.path=value` override: replaces (or adds) the value at a dotted key path before the
/// scenario is decoded, so overrides get exactly the same checks as values written in the file.
public struct Override: Sendable, Equatable {
    public var keyPath: [String]
    /// The value as YAML text (`8`, `fp8`, `{gpu: b200, nodes: 2}`); nil removes the key.
    public var valueText: String?
    /// The original `--set` argument (`key.path=value`).
    public var original: String
    /// Where the override came from, as errors under its key path name it: `--set key=value` for the
    /// command line, or a plan candidate's file, line and name.
    public var origin: String

    /// Parses a `--set key.path=value` argument.
    public init(parsing argument: String) throws {
        try self.init(parsing: argument, origin: "--set \(argument)")
    }

    /// Parses `key.path=value`; errors under the key path name `origin`.
    public init(parsing argument: String, origin: String) throws {
        guard let equals = argument.firstIndex(of: "=") else {
            throw InputError(location: origin, keyPath: "", problem: "missing '='",
                             valid: "--set key.path=value, e.g. --set hardware.nodes=2")
        }
        let path = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw InputError(location: origin, keyPath: "", problem: "empty key path",
                             valid: "--set key.path=value, e.g. --set workload.seed=2")
        }
        self.keyPath = path
        self.valueText = String(argument[argument.index(after: equals)...])
        self.original = argument
        self.origin = origin
    }

    /// How a report names it: the `--set` as typed, or the change and where it was written.
    public var description: String {
        origin == "--set \(original)" ? origin : "\(original) from \(origin)"
    }

    /// An override that removes `keyPath` (when present): how a plan candidate that names other
    /// hardware drops the base's conflicting hardware keys.
    public init(removing keyPath: [String], origin: String) {
        self.keyPath = keyPath
        self.valueText = nil
        self.original = keyPath.joined(separator: ".") + " (removed)"
        self.origin = origin
    }

    /// Returns `root` with this override applied, creating intermediate mappings as needed.
    public func apply(to root: Node) throws -> Node {
        guard let valueText else { return try set(nil, at: keyPath[...], in: root) }
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText) ?? Node("", Tag(.null))
        } catch {
            throw InputError(location: origin, keyPath: keyPath.joined(separator: "."),
                             problem: "the value is not valid YAML", valid: "a scalar such as 8 or fp8, or {key: value}")
        }
        return try set(value, at: keyPath[...], in: root)
    }

    /// `node` with `value` at `path` (nil: the last key removed).
    private func set(_ value: Node?, at path: ArraySlice<String>, in node: Node) throws -> Node {
        guard let key = path.first else { return value ?? node }
        guard case .mapping(let mapping) = node else {
            if value == nil { return node }
            let parent = keyPath.prefix(keyPath.count - path.count).joined(separator: ".")
            throw InputError(location: origin, keyPath: keyPath.joined(separator: "."),
                             problem: "'\(parent)' is not a mapping, so it has no key '\(key)'")
        }
        var pairs = mapping.map { ($0.key, $0.value) }
        if let index = pairs.firstIndex(where: { $0.0.string == key }) {
            if value == nil, path.count == 1 {
                pairs.remove(at: index)
            } else {
                pairs[index].1 = try set(value, at: path.dropFirst(), in: pairs[index].1)
            }
        } else if value != nil {
            let empty = Node.mapping(Node.Mapping([]))
            pairs.append((Node(key), try set(value, at: path.dropFirst(), in: empty)))
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    }
}

extension YAMLValue {
    /// This document with `overrides` applied in order; errors under an overridden key name the `--set`.
    public func applying(_ overrides: [Override]) throws -> YAMLValue {
        guard !overrides.isEmpty else { return self }
        var root = node
        var source = self.source
        for override in overrides {
            // Keys the override creates (a misspelt `serving.variabilty.step_jitter` creates
            // `serving.variabilty`) are the `--set`'s too: errors about them name it, not the file.
            for length in 1..<override.keyPath.count where override.valueText != nil && !Self.exists(override.keyPath.prefix(length), in: root) {
                source.overrides[override.keyPath.prefix(length).joined(separator: ".")] = override.origin
            }
            root = try override.apply(to: root)
            if override.valueText != nil { source.overrides[override.keyPath.joined(separator: ".")] = override.origin }
            source.applied.append(override.description)
        }
        return YAMLValue(node: root, source: source, path: path)
    }

    /// Whether the mappings of `node` hold `path`.
    static func exists(_ path: ArraySlice<String>, in node: Node) -> Bool {
        guard let key = path.first else { return true }
        guard case .mapping(let mapping) = node, let child = mapping.first(where: { $0.key.string == key })?.value else { return false }
        return exists(path.dropFirst(), in: child)
    }
}

import Yams

/// One `--set key.path=value` override: replaces (or adds) the value at a dotted key path before the
/// scenario is decoded, so overrides get exactly the same checks as values written in the file.
public struct Override: Sendable, Equatable {
    public var keyPath: [String]
    /// The value as YAML text (`8`, `fp8`, `{gpu: b200, nodes: 2}`).
    public var valueText: String
    /// The original `--set` argument, quoted back in error messages.
    public var original: String

    /// Parses `key.path=value`.
    public init(parsing argument: String) throws {
        guard let equals = argument.firstIndex(of: "=") else {
            throw InputError(location: "--set \(argument)", keyPath: "", problem: "missing '='",
                             valid: "--set key.path=value, e.g. --set hardware.nodes=2")
        }
        let path = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw InputError(location: "--set \(argument)", keyPath: "", problem: "empty key path",
                             valid: "--set key.path=value, e.g. --set workload.seed=2")
        }
        self.keyPath = path
        self.valueText = String(argument[argument.index(after: equals)...])
        self.original = argument
    }

    /// Returns `root` with this override applied, creating intermediate mappings as needed.
    public func apply(to root: Node) throws -> Node {
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText) ?? Node("", Tag(.null))
        } catch {
            throw InputError(location: "--set \(original)", keyPath: keyPath.joined(separator: "."),
                             problem: "the value is not valid YAML", valid: "a scalar such as 8 or fp8, or {key: value}")
        }
        return try set(value, at: keyPath[...], in: root)
    }

    private func set(_ value: Node, at path: ArraySlice<String>, in node: Node) throws -> Node {
        guard let key = path.first else { return value }
        guard case .mapping(let mapping) = node else {
            let parent = keyPath.prefix(keyPath.count - path.count).joined(separator: ".")
            throw InputError(location: "--set \(original)", keyPath: keyPath.joined(separator: "."),
                             problem: "'\(parent)' is not a mapping, so it has no key '\(key)'")
        }
        var pairs = mapping.map { ($0.key, $0.value) }
        if let index = pairs.firstIndex(where: { $0.0.string == key }) {
            pairs[index].1 = try set(value, at: path.dropFirst(), in: pairs[index].1)
        } else {
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
            for length in 1..<override.keyPath.count where !Self.exists(override.keyPath.prefix(length), in: root) {
                source.overrides[override.keyPath.prefix(length).joined(separator: ".")] = override.original
            }
            root = try override.apply(to: root)
            source.overrides[override.keyPath.joined(separator: ".")] = override.original
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

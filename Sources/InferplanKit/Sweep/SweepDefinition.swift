import Foundation
import Yams

/// A sweep file: a base scenario and axes over its key paths (the same paths as `--set`), expanded
/// as a full grid or as zipped lists.
///
/// ```yaml
/// base: ../default.yaml
/// mode: grid            # or zip
/// set: {serving.chunk_tokens: 1024}   # optional: fixed overrides of every point
/// axes:
///   hardware.gpu: [h100-sxm, h200-sxm, b200]
///   serving.max_batch_seqs: [256, 1024]
/// ```
public struct SweepDefinition: Sendable {
    public enum Mode: String, CaseIterable, Sendable { case grid, zip }

    public struct Axis: Sendable, Equatable {
        public var keyPath: String
        /// Each value as YAML text, as `--set` would take it.
        public var values: [String]
    }

    /// The most points one sweep may expand to.
    public static let maxPoints = 1_000_000

    public var file: String
    public var name: String
    public var basePath: String
    public var mode: Mode
    public var axes: [Axis]
    /// `set:`: overrides applied to every point before its axis values, as `key=value` text, with
    /// where each was written (`sweep.yaml:4 set:`), which errors about it name.
    public var fixed: [(text: String, origin: String)]
    /// A fingerprint of the sweep and its base scenario, so results of another sweep are never mixed in.
    public var fingerprint: String

    public init(path: String) throws {
        let document = try YAMLDocument.load(path: path)
        let map = try document.mapping(allowed: ["base", "mode", "set", "axes", "name"])
        file = path
        let directory = (path as NSString).deletingLastPathComponent
        name = try map.optional("name")?.string() ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let baseValue = try map.required("base", hint: "the scenario YAML the sweep varies, relative to this file")
        let base = try baseValue.string()
        basePath = base.hasPrefix("/") ? base : ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(base)
        guard FileManager.default.fileExists(atPath: basePath) else {
            throw baseValue.error("no scenario file at '\(basePath)'", valid: "a path to a scenario YAML, relative to the sweep file")
        }
        mode = try map.optional("mode")?.choice(Mode.self) ?? .grid
        var fixed: [(text: String, origin: String)] = []
        if let set = map.optional("set") {
            guard case .mapping(let pairs) = set.node else {
                throw set.error("expected a mapping of key paths to values", valid: "{serving.chunk_tokens: 1024}")
            }
            for (keyNode, valueNode) in pairs {
                let value = YAMLValue(node: valueNode, source: document.source, path: ["set", keyNode.string ?? ""])
                let line = keyNode.mark.map { "\(document.source.name):\($0.line)" } ?? path
                fixed.append(("\(keyNode.string ?? "")=\(try Self.yamlText(value))", "\(line) set:"))
            }
        }
        self.fixed = fixed
        let axesValue = try map.required("axes", hint: "{hardware.gpu: [h100-sxm, b200], hardware.nodes: [1, 2]}")
        guard case .mapping(let axesMapping) = axesValue.node, !axesMapping.isEmpty else {
            throw axesValue.error("expected a mapping of key paths to lists of values", valid: "{hardware.gpu: [h100-sxm, b200]}")
        }
        var axes: [Axis] = []
        for (keyNode, valueNode) in axesMapping {
            let key = keyNode.string ?? ""
            let value = YAMLValue(node: valueNode, source: document.source, path: ["axes", key])
            // A key path is dotted scenario keys, nothing else: `.` or `hardware.nodes=3` would
            // otherwise make every point invalid and the sweep still exit 0.
            guard key.wholeMatch(of: /[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*/) != nil else {
                let line = keyNode.mark.map { "\(document.source.name):\($0.line)" } ?? path
                throw InputError(location: line, keyPath: "axes", problem: "'\(key)' is not a key path",
                                 valid: "dotted scenario keys such as hardware.nodes or serving.max_batch_seqs, mapped to a list of values")
            }
            let items = try value.sequence()
            guard !items.isEmpty else { throw value.error("an axis needs at least one value", valid: "[value, ...]") }
            axes.append(Axis(keyPath: key, values: try items.map { try Self.yamlText($0) }))
        }
        self.axes = axes
        if mode == .zip, Set(axes.map(\.values.count)).count > 1 {
            let counts = axes.map { "\($0.keyPath): \($0.values.count)" }.joined(separator: ", ")
            throw axesValue.error("zipped axes must have equal lengths (\(counts))", valid: "lists of one length, or mode: grid")
        }
        let count = Self.count(axes: axes, mode: mode)
        guard count <= Self.maxPoints else {
            throw axesValue.error("the axes expand to \(count) points", valid: "at most \(Self.maxPoints) points; split the sweep or use --shard")
        }
        let baseText = (try? String(contentsOfFile: basePath, encoding: .utf8)) ?? ""
        fingerprint = Self.fingerprint(mode.rawValue + "\n" + fixed.map { "set \($0.text)\n" }.joined() + axes.map { "\($0.keyPath)=\($0.values)" }.joined(separator: "\n") + "\n" + baseText)

        // `set:` must name scenario keys (a typo would otherwise fail every point, and the sweep
        // still exit 0); other problems of its values are the points'.
        do {
            _ = try ScenarioFile.load(path: basePath, overrides: try fixedOverrides())
        } catch let error as InputError where error.problem.hasPrefix("unknown key") && fixed.contains(where: { error.location == $0.origin }) {
            throw error
        } catch {}
        // Every key path must be a key of the scenario: decode the base with each axis's first value.
        for (axis, (keyNode, _)) in zip(axes, axesMapping) {
            do {
                let override = try Override(parsing: "\(axis.keyPath)=\(axis.values[0])")
                _ = try ScenarioFile.load(path: basePath, overrides: try fixedOverrides() + [override])
            } catch let error as InputError where error.location.hasPrefix("--set") && error.problem.hasPrefix("unknown key") {
                let line = keyNode.mark.map { "\(document.source.name):\($0.line)" } ?? path
                throw InputError(location: line, keyPath: "axes.\(axis.keyPath)", problem: "'\(axis.keyPath)' is not a scenario key: \(error.problem)",
                                 valid: error.valid)
            } catch {
                // Other problems (a value that does not fit, say) are the point's, recorded when it runs.
            }
        }
    }

    public var count: Int { Self.count(axes: axes, mode: mode) }

    static func count(axes: [Axis], mode: Mode) -> Int {
        switch mode {
        case .zip: return axes.first?.values.count ?? 0
        case .grid: return axes.reduce(1) { $0.multipliedReportingOverflow(by: $1.values.count).overflow ? Int.max : $0 * $1.values.count }
        }
    }

    /// The axis values of point `index`: grid points vary the last axis fastest.
    public func values(ofPoint index: Int) -> [String] {
        switch mode {
        case .zip: return axes.map { $0.values[index] }
        case .grid:
            var rest = index
            var result = Array(repeating: "", count: axes.count)
            for (position, axis) in axes.enumerated().reversed() {
                result[position] = axis.values[rest % axis.values.count]
                rest /= axis.values.count
            }
            return result
        }
    }

    public func overrides(ofPoint index: Int) throws -> [Override] {
        try fixedOverrides() + zip(axes, values(ofPoint: index)).map { try Override(parsing: "\($0.keyPath)=\($1)") }
    }

    /// The `set:` overrides, named by the sweep file in errors.
    func fixedOverrides() throws -> [Override] {
        try fixed.map { try Override(parsing: $0.text, origin: $0.origin) }
    }

    /// A value as one line of flow-style YAML (`8`, `b200`, `{gpu_speed_spread: 0.05}`).
    private static func yamlText(_ value: YAMLValue) throws -> String {
        func flow(_ node: Node) -> String {
            switch node {
            // A quoted value stays quoted, so that `"x # y"` is not cut at its `#` when parsed again.
            case .scalar(let scalar) where scalar.style == .singleQuoted || scalar.style == .doubleQuoted:
                return "\"" + scalar.string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n") + "\""
            case .scalar(let scalar): return scalar.string
            case .mapping(let mapping): return "{" + mapping.map { "\(flow($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
            case .sequence(let sequence): return "[" + sequence.map(flow).joined(separator: ", ") + "]"
            case .alias: return ""
            }
        }
        return flow(value.node)
    }

    /// FNV-1a 64-bit of the text, in hex: a cheap, stable fingerprint (not a security hash).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

import Yams

/// Where a YAML document came from, and which of its key paths were replaced by `--set`.
///
/// Errors found under an overridden key path point at the `--set` that put the value there rather
/// than at a line of the file, since that is what the user has to change.
public struct YAMLSource: Sendable {
    /// The file name as the user gave it (or a label such as `catalog gpu h200-sxm`).
    public var name: String
    /// Dotted key path -> where the value that replaced it came from (`--set key=value`, or a plan
    /// candidate).
    public var overrides: [String: String]
    /// Every override applied, in order, as the report's header names them (`--set model=x`,
    /// `hardware.gpu=b200 from plan.yaml:7 candidate 'B200'`).
    public var applied: [String] = []

    public init(name: String, overrides: [String: String] = [:]) {
        self.name = name
        self.overrides = overrides
    }
}

/// A YAML node together with its key path and source, so that typed accessors can fail with an
/// `InputError` naming file, line and key.
///
/// Decoding goes through these accessors rather than `Codable`: Codable ignores unknown keys (a typo
/// would pass silently) and its errors carry no line numbers.
public struct YAMLValue {
    public let node: Node
    public let path: [String]
    public let source: YAMLSource
    /// The override (`--set ...` or a plan candidate) this value came from, if any (inherited by the children of an overridden mapping).
    let override: String?

    public init(node: Node, source: YAMLSource, path: [String] = []) {
        self.node = node
        self.source = source
        self.path = path
        self.override = source.overrides[path.joined(separator: ".")]
    }

    init(node: Node, source: YAMLSource, path: [String], inheritedOverride: String?) {
        self.node = node
        self.source = source
        self.path = path
        self.override = source.overrides[path.joined(separator: ".")] ?? inheritedOverride
    }

    public var keyPath: String { path.joined(separator: ".") }

    /// `file:line` of this value, or the `--set` it came from.
    public var location: String {
        if let override { return override }
        if let mark = node.mark { return "\(source.name):\(mark.line)" }
        return source.name
    }

    public func error(_ problem: String, valid: String = "") -> InputError {
        InputError(location: location, keyPath: keyPath, problem: problem, valid: valid)
    }

    /// A short rendering of the value for messages (`'abc'`, `12`, `a mapping`).
    /// How an error names what it found. A whole document that is one scalar is some other kind
    /// of file (a CSV, a key, notes): its content is never echoed. A value inside a document is
    /// quoted, cut to `shownLimit` characters with control characters escaped.
    var shown: String {
        switch node {
        case .scalar where path.isEmpty: return "text that is not a YAML mapping (is it the right file?)"
        case .scalar(let scalar): return "'\(Self.excerpt(scalar.string))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Characters of a found value an error quotes.
    static let shownLimit = 40

    /// `text` cut to `shownLimit` characters ("..." marks the cut), control characters escaped.
    static func excerpt(_ text: String) -> String {
        let cut = text.count > shownLimit ? String(text.prefix(shownLimit)) + "..." : text
        return cut.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined()
    }

    /// True for an explicit YAML null (`~`, `null` or an empty value).
    public var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

// MARK: - Scalars

extension YAMLValue {
    public func string() throws -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected a text value, found \(isNull ? "nothing" : shown)")
        }
        return scalar.string
    }

    public func double(in range: ClosedRange<Double>? = nil, unit: String = "") throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")),
              value.isFinite
        else {
            throw error("expected a number, found \(shown)", valid: range.map { describe($0, unit) } ?? "a finite number")
        }
        if let range, !range.contains(value) {
            throw error("\(Self.excerpt(scalar.string)) is out of range", valid: describe(range, unit))
        }
        return value
    }

    public func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        guard case .scalar(let scalar) = node else {
            throw error("expected a whole number, found \(shown)", valid: range.map(describe) ?? "a whole number")
        }
        let text = scalar.string.replacingOccurrences(of: "_", with: "")
        guard let value = Int(text) else {
            throw error("expected a whole number, found \(shown)", valid: range.map(describe) ?? "a whole number")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range", valid: describe(range))
        }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false, found \(shown)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(shown)", valid: "true | false")
        }
    }

    /// A value from a fixed set of choices (an enum whose raw values are what users type).
    public func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue).joined(separator: " | ")
            throw error("'\(Self.excerpt(text))' is not a known value\(didYouMean(text, among: T.allCases.map(\.rawValue)))", valid: names)
        }
        return value
    }

    private func describe(_ range: ClosedRange<Double>, _ unit: String) -> String {
        let suffix = unit.isEmpty ? "" : " \(unit)"
        if range.upperBound == .greatestFiniteMagnitude { return "a number >= \(format(range.lowerBound))\(suffix)" }
        return "a number from \(format(range.lowerBound)) to \(format(range.upperBound))\(suffix)"
    }

    private func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "a whole number >= \(range.lowerBound)" }
        return "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

// MARK: - Collections

extension YAMLValue {
    /// This value as a mapping whose keys must all be among `allowed`.
    ///
    /// An unknown key is an error that lists the allowed ones: a typo must never pass silently.
    public func mapping(allowed: [String]) throws -> YAMLMapping {
        let mapping = try entries(expected: "a mapping with keys \(allowed.joined(separator: ", "))")
        for (key, child) in mapping.entries where !allowed.contains(key) {
            let suggestion = allowed.min { editDistance($0, key) < editDistance($1, key) }
            let hint = suggestion.map { editDistance($0, key) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
            throw child.error("unknown key '\(key)'\(hint)", valid: allowed.joined(separator: ", "))
        }
        return mapping
    }

    /// This value as a mapping whose keys are names the caller checks itself (a table keyed by
    /// release or id), not a fixed set of settings.
    public func namedMapping(of what: String) throws -> YAMLMapping {
        try entries(expected: "a mapping of \(what)")
    }

    /// This value's keys and children, in order; an error saying `expected` if it is no mapping.
    private func entries(expected: String) throws -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw error("expected \(expected), found \(shown)")
        }
        let entries = mapping.map { keyNode, valueNode in
            let key = keyNode.string ?? ""
            return (key, YAMLValue(node: valueNode, source: source, path: path + [key], inheritedOverride: override))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    public func sequence() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(shown)") }
        return sequence.enumerated().map { index, element in
            YAMLValue(node: element, source: source, path: path + [String(index)], inheritedOverride: override)
        }
    }
}

/// The keys of one YAML mapping, already checked against the allowed set.
public struct YAMLMapping {
    public let owner: YAMLValue
    let entries: [(String, YAMLValue)]

    public func optional(_ key: String) -> YAMLValue? {
        guard let value = entries.first(where: { $0.0 == key })?.1, !value.isNull else { return nil }
        return value
    }

    public func required(_ key: String, hint: String = "") throws -> YAMLValue {
        if let value = optional(key) { return value }
        let path = (owner.path + [key]).joined(separator: ".")
        throw InputError(location: owner.location, keyPath: path, problem: "missing required key '\(key)'", valid: hint)
    }

    public var keys: [String] { entries.map(\.0) }
}

/// A "did you mean" hint for `word` among `names`, or "" when nothing is close: every name that
/// starts with it (`h100` -> h100-nvl, h100-pcie or h100-sxm), else the nearest within a few edits
/// (`b2000` -> b200), compared without regard to case.
func didYouMean(_ word: String, among names: [String]) -> String {
    let lower = word.lowercased()
    guard !lower.isEmpty else { return "" }
    let extending = names.filter { $0.lowercased().hasPrefix(lower) && $0.lowercased() != lower }
    if !extending.isEmpty {
        let shown = extending.prefix(4).map { "'\($0)'" }
        let list = shown.count == 1 ? shown[0] : shown.dropLast().joined(separator: ", ") + " or " + shown.last!
        return " (did you mean \(list)?)"
    }
    let scored = names.map { ($0, editDistance($0.lowercased(), lower)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, lower.count / 3) else { return "" }
    return " (did you mean '\(best.0)'?)"
}

/// Levenshtein distance, for "did you mean" hints on unknown keys (short strings only).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

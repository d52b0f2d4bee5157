import Yams

/// How a fuzz case breaks a YAML file: edits of its tree (keys deleted, renamed, duplicated, values
/// swapped for extremes or other types) and edits of its bytes (truncated, garbage, alias bombs,
/// deep nesting, odd encodings).
enum Mutations {
    /// Applies one to three tree edits to `yaml`; falls back to a text edit when it does not parse.
    static func tree(_ yaml: String, using random: inout FuzzRandom) -> (text: String, what: String) {
        guard var root = try? Yams.compose(yaml: yaml) else { return text(yaml, using: &random) }
        var done: [String] = []
        for _ in 0..<(random.chance(0.6) ? 1 : Int.random(in: 2...3, using: &random)) {
            let paths = entryPaths(root)
            guard !paths.isEmpty else { break }
            let path = random.pick(paths)
            let name = path.joined(separator: ".")
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                root = edit(root, at: path[...]) { _ in nil }
                done.append("delete \(name)")
            case 1:
                let typo = misspell(path.last!, using: &random)
                root = rename(root, at: path[...], to: typo)
                done.append("rename \(name) -> \(typo)")
            case 2:
                let kind = random.pick(["mapping", "sequence", "string"])
                let replacement: Node = kind == "mapping" ? Node([(Node("x"), Node("1"))]) : kind == "sequence" ? Node([Node("1"), Node("2")]) : Node("text", Tag(.str), .doubleQuoted)
                root = edit(root, at: path[...]) { _ in replacement }
                done.append("\(name) becomes a \(kind)")
            case 3:
                root = addKey(root, under: path.dropLast(), key: random.pick(["unknown_key", "nodes", "gpu", "tensor", "qps"]), value: random.pick(Values.extremes))
                done.append("add a key beside \(name)")
            default:
                let original = ((try? value(root, at: path[...])) ?? nil)?.scalar?.string ?? ""
                let planted = Values.replacement(for: original, using: &random)
                let node = (try? Yams.compose(yaml: planted)) ?? nil
                root = edit(root, at: path[...]) { _ in node ?? Node(planted) }
                done.append("\(name) = \(planted.prefix(40))")
            }
        }
        guard var text = try? Yams.serialize(node: root) else { return (yaml, "unchanged (could not serialise)") }
        if random.chance(0.1) {
            // A duplicated line: YAML's duplicate-key rule (or a duplicate list item).
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count > 1 {
                let index = Int.random(in: 0..<(lines.count - 1), using: &random)
                lines.insert(lines[index], at: index)
                text = lines.joined(separator: "\n")
                done.append("duplicate line \(index + 1)")
            }
        }
        return (text, done.joined(separator: "; "))
    }

    /// A byte-level edit: truncation, garbage, an alias bomb, deep nesting, tabs, a BOM, CRLF.
    static func text(_ yaml: String, using random: inout FuzzRandom) -> (text: String, what: String) {
        let bytes = Array(yaml.utf8)
        switch Int.random(in: 0..<9, using: &random) {
        case 0:
            let cut = Int.random(in: 0...bytes.count, using: &random)
            return (String(decoding: bytes[..<cut], as: UTF8.self), "truncated at byte \(cut)")
        case 1:
            var noisy = bytes
            for _ in 0..<Int.random(in: 1...20, using: &random) where !noisy.isEmpty {
                noisy[Int.random(in: 0..<noisy.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            return (String(decoding: noisy, as: UTF8.self), "random bytes changed")
        case 2:
            let garbage = (0..<Int.random(in: 1...4096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            return (String(decoding: garbage, as: UTF8.self), "binary garbage")
        case 3:
            var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            for level in 1...9 {
                let previous = level == 1 ? "a" : "l\(level - 1)"
                bomb += "l\(level): &l\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            }
            return (bomb + yaml, "alias bomb prepended")
        case 4:
            let depth = random.pick([100, 1000, 10_000])
            return (yaml + "\nhardware: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n", "nesting \(depth) deep")
        case 5: return (yaml.replacingOccurrences(of: "  ", with: "\t"), "tabs for indentation")
        case 6: return ("\u{FEFF}" + yaml.replacingOccurrences(of: "\n", with: "\r\n"), "BOM and CRLF")
        case 7: return ("", "empty file")
        default: return (yaml + "\n" + yaml, "the document twice")
        }
    }

    // MARK: - Tree helpers

    /// The key path of every mapping entry, depth first.
    static func entryPaths(_ node: Node, prefix: [String] = []) -> [[String]] {
        guard let mapping = node.mapping else { return [] }
        var paths: [[String]] = []
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            paths.append(prefix + [name])
            paths += entryPaths(value, prefix: prefix + [name])
        }
        return paths
    }

    static func value(_ node: Node, at path: ArraySlice<String>) throws -> Node? {
        guard let first = path.first else { return node }
        guard let child = node.mapping?[first] else { return nil }
        return try value(child, at: path.dropFirst())
    }

    /// `node` with the entry at `path` replaced by `change` (removed when it returns nil).
    static func edit(_ node: Node, at path: ArraySlice<String>, _ change: (Node) -> Node?) -> Node {
        guard let first = path.first, var mapping = node.mapping, let child = mapping[first] else { return node }
        if path.count == 1 {
            mapping[first] = change(child)
        } else {
            mapping[first] = edit(child, at: path.dropFirst(), change)
        }
        return Node.mapping(mapping)
    }

    static func rename(_ node: Node, at path: ArraySlice<String>, to name: String) -> Node {
        guard let first = path.first, let mapping = node.mapping else { return node }
        var pairs: [(Node, Node)] = []
        for (key, value) in mapping {
            if key.string == first {
                pairs.append(path.count == 1 ? (Node(name), value) : (key, rename(value, at: path.dropFirst(), to: name)))
            } else {
                pairs.append((key, value))
            }
        }
        return Node(pairs)
    }

    static func addKey(_ node: Node, under path: ArraySlice<String>, key: String, value: String) -> Node {
        let planted = ((try? Yams.compose(yaml: value)) ?? nil) ?? Node(value)
        guard let first = path.first else {
            guard var mapping = node.mapping else { return node }
            mapping[key] = planted
            return Node.mapping(mapping)
        }
        guard var mapping = node.mapping, let child = mapping[first] else { return node }
        mapping[first] = addKey(child, under: path.dropFirst(), key: key, value: value)
        return Node.mapping(mapping)
    }

    static func misspell(_ word: String, using random: inout FuzzRandom) -> String {
        guard word.count > 1 else { return word + "x" }
        var characters = Array(word)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: characters.remove(at: Int.random(in: 0..<characters.count, using: &random))
        case 1: characters.insert("x", at: Int.random(in: 0...characters.count, using: &random))
        default: return word.uppercased()
        }
        return String(characters)
    }
}

import Foundation
import Yams

/// Reading YAML text into a `YAMLValue`, with syntax errors turned into `InputError`s.
public enum YAMLDocument {
    /// Parses `text`; `name` is what error messages call the file.
    public static func parse(_ text: String, name: String) throws -> YAMLValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, name: name)
        }
        guard let node else {
            throw InputError(location: name, keyPath: "", problem: "the file is empty", valid: "a YAML mapping")
        }
        return YAMLValue(node: node, source: YAMLSource(name: name))
    }

    /// Reads and parses a file; a missing or unreadable file is an `InputError` too.
    public static func load(path: String, displayName: String? = nil) throws -> YAMLValue {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(location: name, keyPath: "", problem: exists ? "cannot read the file" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(location: name, keyPath: "", problem: "the file is not UTF-8 text")
        }
        return try parse(text, name: name)
    }

    private static func syntaxError(_ error: YamlError, name: String) -> InputError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return InputError(location: "\(name):\(mark.line)", keyPath: "", problem: "YAML syntax error: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return InputError(location: "\(name):\(context.mark.line)", keyPath: "",
                              problem: "duplicate key(s) \(duplicates.joined(separator: ", ")) in one mapping",
                              valid: "each key once")
        default:
            return InputError(location: name, keyPath: "", problem: "YAML error: \(error)")
        }
    }
}

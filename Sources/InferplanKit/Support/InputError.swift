/// A problem with something the user wrote: a scenario, a catalog entry, a CSV row or a `--set`.
///
/// Every message names where the problem is (file and line, or the `--set` that caused it), the key
/// path, what is wrong and what would be valid, so the user can fix it without reading code. The CLI
/// prints it and exits with status 2.
public struct InputError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Where the offending value came from, e.g. `Scenarios/default.yaml:7` or `--set hardware.nodes=0`.
    public var location: String
    /// The dotted key path of the offending value (`hardware.gpu`), or empty for the whole document.
    public var keyPath: String
    /// What is wrong.
    public var problem: String
    /// What would be valid instead; empty when there is nothing useful to suggest.
    public var valid: String

    public init(location: String, keyPath: String, problem: String, valid: String = "") {
        self.location = location
        self.keyPath = keyPath
        self.problem = problem
        self.valid = valid
    }

    public var description: String {
        var text = "\(location): "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += problem
        if !valid.isEmpty { text += "\n  valid: \(valid)" }
        return text
    }
}

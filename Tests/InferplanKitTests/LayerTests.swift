import Foundation
import Testing

/// The library's folders form layers: a folder uses only types of its own folder and of the
/// folders below it, never one above (no folder uses a folder that uses it back). The order is
/// the README's "How it works", data flowing one way: scenario -> built system -> engine ->
/// metrics -> report.
@Suite struct LayerTests {
    /// Bottom to top.
    static let layers = ["Support", "Fitting", "Hardware", "Model", "Cost", "Workload", "Metrics", "Serving", "Engine",
                         "Search", "Scenario", "Run", "Report", "Sweep", "Planning", "Validation", "HostRuntime", "Calibration"]

    static let library = Fixtures.packageRoot.appendingPathComponent("Sources/InferplanKit")

    /// Every Swift file of the library with its folder.
    static func sources() throws -> [(folder: String, path: String, text: String)] {
        let root = library.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { relative in
            let path = root + "/" + relative
            return (String(relative.split(separator: "/")[0]), path, try String(contentsOfFile: path, encoding: .utf8))
        }
    }

    @Test func everyFolderIsALayer() throws {
        let folders = Set(try Self.sources().map(\.folder))
        #expect(folders == Set(Self.layers), "folders without a layer: \(folders.subtracting(Self.layers)); layers without a folder: \(Set(Self.layers).subtracting(folders))")
    }

    @Test func noFolderUsesAFolderAboveIt() throws {
        let files = try Self.sources()
        // Types declared at the top level of a file (column 0), by folder.
        var owner: [String: String] = [:]
        let declaration = /^(?:(?:public|private|fileprivate|internal|final|indirect) )*(?:struct|class|enum|protocol|typealias|actor) ([A-Z]\w*)/.anchorsMatchLineEndings()
        for file in files {
            for match in file.text.matches(of: declaration) { owner[String(match.output.1)] = file.folder }
        }
        var upward: [String] = []
        for file in files {
            // Comments and string literals name types in prose; only code counts.
            let code = file.text.replacing(/\/\/.*/, with: "").replacing(/"(?:\\.|[^"\\])*"/, with: "\"\"")
            let used = Set(code.matches(of: /\b[A-Z]\w*\b/).map { String($0.output) })
            for name in used.sorted() {
                guard let home = owner[name], home != file.folder,
                      let mine = Self.layers.firstIndex(of: file.folder), let theirs = Self.layers.firstIndex(of: home), theirs > mine else { continue }
                upward.append("\(file.folder)/\((file.path as NSString).lastPathComponent) uses \(name) of \(home), a layer above")
            }
        }
        #expect(upward.isEmpty, "\(upward.joined(separator: "\n"))")
    }
}

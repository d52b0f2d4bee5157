import ArgumentParser
import Foundation
import InferplanKit

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html
}

/// Writes a report to stdout or to `--output`, never replacing a file the user did not ask to
/// replace: an existing file needs `--force`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Report format: text, json, or html (a self-contained page; run only).")
    var format: OutputFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(name: .long, help: "Replace --output if it exists.")
    var force = false

    func write(_ text: String) throws {
        guard let output else {
            try Console.out(text)
            return
        }
        if FileManager.default.fileExists(atPath: output) && !force {
            throw InputError(location: "--output \(output)", keyPath: "", problem: "the file exists and would be overwritten",
                             valid: "another path, or add --force to replace it")
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw InputError(location: "--output \(output)", keyPath: "", problem: "cannot write the file: \(error.localizedDescription)")
        }
    }
}

import ArgumentParser
import Foundation
import InferplanKit

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html
}

/// Writes a report to stdout or to `--output`, never replacing a file the user did not ask to
/// replace: an existing file needs `--force`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Report format: text, json, or html (a self-contained page with charts; run, report, scale, plan, validate and catalog).")
    var format: OutputFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(name: .long, help: "Replace --output if it exists.")
    var force = false

    /// Checked while the arguments are parsed, before any work: an existing `--output` without
    /// `--force`, or a folder that cannot take the file, fails now rather than after minutes of
    /// simulation.
    func validate() throws {
        guard let output else { return }
        if FileManager.default.fileExists(atPath: output) && !force {
            throw ValidationError("--output \(output): the file exists and would be overwritten; give another path, or add --force to replace it")
        }
        let folder = (output as NSString).deletingLastPathComponent
        if let why = FileOutput.unwritableReason(folder: folder.isEmpty ? "." : folder) {
            throw ValidationError("--output \(output): the folder '\(folder.isEmpty ? "." : folder)' cannot take the file: \(why); give another path")
        }
    }

    /// Writes the report in the chosen format. A command without an HTML page passes nil, and
    /// `--format html` is then refused before any work is done (see `refuseHTML`).
    func write(text: () throws -> String, json: () throws -> String, html: (() throws -> String)?) throws {
        switch format {
        case .text: try write(text())
        case .json: try write(json())
        case .html:
            guard let html else { throw ValidationError("--format html is not available for this command; use text or json") }
            try write(html())
        }
    }

    /// For commands without an HTML page: refuses `--format html` up front, naming the command.
    func refuseHTML(command: String) throws {
        if format == .html { throw ValidationError("--format html is not available for `inferplan \(command)`; use --format text or --format json") }
    }

    func write(_ text: String) throws {
        guard let output else {
            try Console.out(text)
            return
        }
        if FileManager.default.fileExists(atPath: output) && !force {
            throw InputError(location: "--output \(output)", keyPath: "", problem: "the file exists and would be overwritten",
                             valid: "another path, or add --force to replace it")
        }
        // Through a symbolic link to the file it names (the link stays); a FIFO, device or folder is
        // refused rather than replaced by a regular file. Regular files are replaced atomically.
        let target = URL(fileURLWithPath: output).resolvingSymlinksInPath()
        if let type = try? FileManager.default.attributesOfItem(atPath: target.path)[.type] as? FileAttributeType,
           type != .typeRegular {
            let kind: String
            switch type {
            case .typeDirectory: kind = "a folder"
            case .typeCharacterSpecial, .typeBlockSpecial: kind = "a device"
            case .typeSocket: kind = "a socket"
            default: kind = "a FIFO or other special file"
            }
            throw InputError(location: "--output \(output)", keyPath: "", problem: "\(kind), not a regular file, so it is not replaced",
                             valid: "a path to a regular file, or a new one")
        }
        try FileOutput.writeAtomically(text, to: target.path, location: "--output \(output)")
    }
}

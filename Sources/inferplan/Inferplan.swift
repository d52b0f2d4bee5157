import ArgumentParser
import Foundation
import InferplanKit

@main
struct Inferplan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inferplan",
        abstract: "Simulate LLM inference clusters: throughput, latency and scaling from a scenario file.",
        discussion: """
        Start with `inferplan run Scenarios/default.yaml`. `inferplan catalog` lists the GPUs, models and benchmark presets a scenario can name. Reports come as text, JSON or a self-contained HTML page (--format html).
        """,
        version: "0.1.0",
        subcommands: [RunCommand.self, ScaleCommand.self, CalibrateCommand.self, SweepCommand.self, SweepStatusCommand.self, MergeCommand.self, PlanCommand.self, ReportCommand.self, CatalogCommand.self, ValidateCommand.self, FitCommand.self, HostcheckCommand.self]
    )

    /// Bad input of any kind (scenario, catalog entry, CSV, flags) exits with status 2 and one clear
    /// message on stderr, never a stack trace.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            Console.err("error: \(error)\n")
            Foundation.exit(2)
        } catch let error as InternalError {
            // A report that broke an invariant: a bug, never a figure to show.
            Console.err("\(error)\n")
            Foundation.exit(3)
        } catch let error as Console.WriteError {
            Console.err("error: \(error)\n")
            Foundation.exit(1)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 0 { exit(withError: error) }
            Console.err("\(fullMessage(for: error))\n")
            Foundation.exit(code == .failure ? 1 : 2)
        }
    }
}

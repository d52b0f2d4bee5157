import ArgumentParser
import InferplanKit

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-status",
        abstract: "Where a sweep submitted with --slurm stands: points done, failed and pending per shard.",
        discussion: """
        Reads the shard folders (and asks squeue about the submitted jobs, where Slurm is there), so that the progress shows without logging into the nodes. Exits 0 once every point is done and merged, 1 otherwise.

        Example: inferplan sweep-status out/big
        """
    )

    @Argument(help: "The --output folder of `inferplan sweep FILE --slurm`.")
    var folder: String

    func run() throws {
        let job = try SweepBatchJob.load(directory: folder)
        let status = SweepStatus(job: job)
        let ids = job.submissions.flatMap { [$0.array, $0.merge] }.filter { !$0.isEmpty }
        print(status.text(jobStates: Slurm.states(of: ids)), terminator: "")
        if !(status.merged && status.unfinished.isEmpty) { throw ExitCode(1) }
    }
}

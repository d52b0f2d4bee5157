import ArgumentParser
import Foundation
import InferplanKit

/// `sweep --slurm` and `sweep --k8s`: the sweep as a batch job of shards and a merge, submitted to
/// Slurm (or written as Kubernetes Jobs); `--resubmit` sends the shards that did not finish again.
struct ClusterOptions: ParsableArguments {
    @Flag(name: .long, help: "Submit the sweep to Slurm: a job array of --array shards, and a merge job after it.")
    var slurm = false

    @Option(name: .long, help: "Shards (array tasks) for --slurm or --k8s (default: 8, at most one per point).")
    var array: Int?

    @Option(name: .long, help: "Slurm partition for the jobs.")
    var partition: String?

    @Option(name: .long, help: "Slurm time limit per task, e.g. 1:00:00.")
    var time: String?

    @Option(name: .long, help: "CPUs per shard; each shard runs that many points at once.")
    var cpusPerTask: Int = 1

    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Another #SBATCH option for both jobs, e.g. --sbatch-arg=--account=ml (repeatable).", valueName: "option"))
    var sbatchArgs: [String] = []

    @Flag(name: .long, help: "Write the job scripts (or manifests) without submitting them.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("Resubmit, to Slurm, the shards of this --slurm results folder that did not finish.", valueName: "folder"))
    var resubmit: String?

    @Flag(name: .long, help: "Write a Kubernetes Indexed Job and its merge Job for the sweep instead of running it.")
    var k8s = false

    @Option(name: .long, help: "The container image for --k8s (it must hold inferplan and the sweep).")
    var image: String = "inferplan:latest"

    func check(sweep: String?, shard: String?, check: String?) throws {
        if slurm && k8s { throw ValidationError("--slurm and --k8s are two ways to run the same shards; give one") }
        if (slurm || k8s || resubmit != nil) && (shard != nil || check != nil) {
            throw ValidationError("--shard and --check are for one machine's run; the cluster's tasks run the shards themselves")
        }
        if resubmit == nil && sweep == nil { throw ValidationError("give the sweep file, e.g. inferplan sweep big.yaml --slurm") }
        if resubmit != nil && sweep != nil { throw ValidationError("--resubmit reads the sweep from its folder's record; leave out the sweep file") }
        if let array, array < 1 { throw ValidationError("--array takes the number of shards, at least 1, e.g. --array 16") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task takes a whole number of CPUs, at least 1") }
    }

    /// Writes the scripts (or manifests) of `definition`'s shards into `output`, and submits them
    /// unless `--dry-run` or `--k8s`.
    func write(_ definition: SweepDefinition, output: String) throws {
        let directory = URL(fileURLWithPath: output).standardizedFileURL.path
        // Never over another sweep's results, nor over an earlier submission (that is --resubmit's).
        if FileManager.default.fileExists(atPath: SweepBatchJob.recordPath(directory)) {
            throw ValidationError("--output \(output) already holds a Slurm submission; see it with `inferplan sweep-status \(output)`, resubmit what did not finish with `inferplan sweep --slurm --resubmit \(output)`, or give another --output")
        }
        if FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("results.manifest.json")) {
            throw ValidationError("--output \(output) holds the results of a sweep; give another --output")
        }
        let binary = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        let job = SweepBatchJob(sweep: URL(fileURLWithPath: definition.file).standardizedFileURL.path, name: definition.name,
                                points: definition.count, directory: directory, binary: binary,
                                shards: min(array ?? 8, max(1, definition.count)), cpusPerTask: cpusPerTask,
                                partition: partition, time: time, sbatchArgs: sbatchArgs)
        if k8s {
            let folder = (directory as NSString).appendingPathComponent("k8s")
            try FileOutput.createFolder(folder, location: "--output \(output)")
            let path = (folder as NSString).appendingPathComponent("sweep-jobs.yaml")
            try FileOutput.writeAtomically(job.kubernetesManifest(image: image, sweepInImage: definition.file), to: path)
            print("wrote \(path): an Indexed Job of \(job.shards) shards and the merge Job to apply after it (replace the image and the volume claim)")
            return
        }
        try FileOutput.createFolder(job.slurmFolder, location: "--output \(output)")
        try FileOutput.writeAtomically(job.arrayScript(), to: job.arrayScriptPath)
        try FileOutput.writeAtomically(job.mergeScript(), to: job.mergeScriptPath)
        try FileOutput.writeAtomically(try job.recordJSON(), to: job.recordPath)
        print("wrote \(job.arrayScriptPath) (\(job.shards) shards of \(job.points) points) and \(job.mergeScriptPath)")
        if dryRun { return }
        var submitted = job
        let submission = try Slurm.submit(&submitted)
        print("submitted job array \(submission.array) and merge job \(submission.merge) (after the array succeeds); follow it with `inferplan sweep-status \(output)`")
    }

    /// Submits again the shards of `folder` that have not finished, and a new merge after them.
    func resubmit(_ folder: String) throws {
        var job = try SweepBatchJob.load(directory: URL(fileURLWithPath: folder).standardizedFileURL.path)
        let status = SweepStatus(job: job)
        let busy = Slurm.states(of: job.submissions.map(\.array))
        if !busy.isEmpty {
            throw ValidationError("job \(busy.keys.sorted().joined(separator: ", ")) of this sweep is still in Slurm (\(busy.values.sorted().joined(separator: ", "))); wait for it or scancel it before resubmitting")
        }
        let shards = status.unfinished
        if shards.isEmpty && status.merged {
            print("every shard of \(job.name) is done and merged in \(job.directory): nothing to resubmit")
            return
        }
        // Cancelled merges of the earlier submissions would wait forever on a failed array.
        for submission in job.submissions { _ = try? Slurm.run("scancel", [submission.merge]) }
        let submission = try Slurm.submit(&job, shards: shards.isEmpty ? [] : shards)
        print("resubmitted shards \(shards.map(String.init).joined(separator: ",")) as job array \(submission.array), merge job \(submission.merge)")
    }
}

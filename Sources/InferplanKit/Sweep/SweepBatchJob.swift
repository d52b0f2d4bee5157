import Foundation

/// A sweep laid out for a cluster's batch system: `shards` slices of the sweep, each a task of a
/// Slurm job array (or a completion of a Kubernetes Indexed Job) writing to `<directory>/shard-<i>`,
/// and a merge of the slices into `<directory>` once they all succeed.
///
/// Every path is absolute, so the scripts run from any working directory on any node that shares
/// the file system. The record (`slurm/job.json`) keeps what a resubmission needs.
public struct SweepBatchJob: Sendable, Codable, Equatable {
    /// The sweep file, absolute.
    public var sweep: String
    /// The sweep's name (job names).
    public var name: String
    /// Points in the whole sweep.
    public var points: Int
    /// The results folder, absolute: shards in `shard-<i>`, merged results at its top.
    public var directory: String
    /// The `inferplan` binary the tasks run, absolute.
    public var binary: String
    public var shards: Int
    public var cpusPerTask: Int
    public var partition: String?
    public var time: String?
    /// Extra `#SBATCH` options, as given (`--account=ml`, `--qos=short`).
    public var sbatchArgs: [String]
    /// Job ids submitted so far, oldest first: the arrays and their merges.
    public var submissions: [Submission] = []

    public struct Submission: Sendable, Codable, Equatable {
        /// The job array's id (empty when every shard was already done and only the merge ran).
        public var array: String
        public var shards: [Int]
        public var merge: String

        public init(array: String, shards: [Int], merge: String) {
            self.array = array
            self.shards = shards
            self.merge = merge
        }
    }

    public init(sweep: String, name: String, points: Int, directory: String, binary: String, shards: Int,
                cpusPerTask: Int = 1, partition: String? = nil, time: String? = nil, sbatchArgs: [String] = []) {
        self.sweep = sweep
        self.name = name
        self.points = points
        self.directory = directory
        self.binary = binary
        self.shards = shards
        self.cpusPerTask = cpusPerTask
        self.partition = partition
        self.time = time
        self.sbatchArgs = sbatchArgs
    }

    public var slurmFolder: String { (directory as NSString).appendingPathComponent("slurm") }
    public var arrayScriptPath: String { (slurmFolder as NSString).appendingPathComponent("sweep.sbatch") }
    public var mergeScriptPath: String { (slurmFolder as NSString).appendingPathComponent("merge.sbatch") }
    public var recordPath: String { Self.recordPath(directory) }
    public static func recordPath(_ directory: String) -> String {
        ((directory as NSString).appendingPathComponent("slurm") as NSString).appendingPathComponent("job.json")
    }
    public func shardFolder(_ index: Int) -> String { (directory as NSString).appendingPathComponent("shard-\(index)") }

    /// Points of shard `index` (1-based): those whose number is index - 1 modulo `shards`.
    public func points(ofShard index: Int) -> Int {
        points >= index ? (points - index) / shards + 1 : 0
    }

    /// A word safe in a shell script, single-quoted when it needs to be.
    static func quoted(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@%".contains($0) } ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private var commonDirectives: [String] {
        (partition.map { ["#SBATCH --partition=\(Self.quoted($0))"] } ?? [])
            + (time.map { ["#SBATCH --time=\(Self.quoted($0))"] } ?? [])
            + sbatchArgs.map { "#SBATCH \(Self.quoted($0))" }
    }

    /// The job-array script: task i runs shard i/N of the sweep with the task's CPUs as its jobs,
    /// resuming whatever an earlier run of the same shard left.
    public func arrayScript() -> String {
        ([
            "#!/bin/bash",
            "# Written by `inferplan sweep --slurm`: one task per shard of \(name) (\(points) points).",
            "#SBATCH --job-name=\(Self.quoted("inferplan-" + name))",
            "#SBATCH --array=1-\(shards)",
            "#SBATCH --cpus-per-task=\(cpusPerTask)",
            "#SBATCH --output=\(Self.quoted((slurmFolder as NSString).appendingPathComponent("shard-%a.log")))",
        ] + commonDirectives + [
            "set -euo pipefail",
            "exec \(Self.quoted(binary)) sweep \(Self.quoted(sweep)) --shard \"$SLURM_ARRAY_TASK_ID/\(shards)\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" \\",
            "    --output \(Self.quoted(directory))/shard-\"$SLURM_ARRAY_TASK_ID\"",
        ]).joined(separator: "\n") + "\n"
    }

    /// The merge script, submitted to run after every task of the array succeeded.
    public func mergeScript() -> String {
        ([
            "#!/bin/bash",
            "# Written by `inferplan sweep --slurm`: joins the shards of \(name) into \(directory).",
            "#SBATCH --job-name=\(Self.quoted("inferplan-" + name + "-merge"))",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --output=\(Self.quoted((slurmFolder as NSString).appendingPathComponent("merge.log")))",
        ] + commonDirectives + [
            "set -euo pipefail",
            "exec \(Self.quoted(binary)) merge \\",
        ] + (1...shards).map { "    \(Self.quoted(shardFolder($0))) \\" } + [
            "    --output \(Self.quoted(directory)) --force",
        ]).joined(separator: "\n") + "\n"
    }

    /// A Kubernetes Indexed Job (completion i runs shard i + 1) and the merge Job to apply once it
    /// completes, as two YAML documents. The image and the volume claim are placeholders to
    /// replace: the image must hold `inferplan` and the sweep (at `workingDir`), the claim the
    /// results.
    public func kubernetesManifest(image: String, claim: String = "inferplan-results", sweepInImage: String) -> String {
        let job = "inferplan-" + name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce("") { $0 + String($1) }
        let shardCommand = "inferplan sweep \(Self.quoted(sweepInImage)) --shard \"$((JOB_COMPLETION_INDEX + 1))/\(shards)\" --jobs \(cpusPerTask) --output \"/results/shard-$((JOB_COMPLETION_INDEX + 1))\""
        let mergeCommand = "inferplan merge " + (1...shards).map { "/results/shard-\($0)" }.joined(separator: " ") + " --output /results --force"
        func quotedYAML(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        func document(_ kind: String, _ jobName: String, _ command: String, indexed: Bool) -> String {
            var lines = [
                "# Written by `inferplan sweep --k8s`: \(kind) of \(name) (\(points) points, \(shards) shards).",
                "apiVersion: batch/v1",
                "kind: Job",
                "metadata:",
                "  name: \(jobName)",
                "spec:",
            ]
            if indexed { lines += ["  completionMode: Indexed", "  completions: \(shards)", "  parallelism: \(shards)"] }
            lines += [
                "  backoffLimit: \(indexed ? 3 * shards : 3)",
                "  template:",
                "    spec:",
                "      restartPolicy: Never",
                "      containers:",
                "        - name: inferplan",
                "          image: \(quotedYAML(image))",
                "          workingDir: /inferplan",
                "          command: [\"/bin/sh\", \"-c\"]",
                "          args: [\(quotedYAML(command))]",
                "          resources: {requests: {cpu: \"\(indexed ? cpusPerTask : 1)\"}}",
                "          volumeMounts: [{name: results, mountPath: /results}]",
                "      volumes: [{name: results, persistentVolumeClaim: {claimName: \(quotedYAML(claim))}}]",
            ]
            return lines.joined(separator: "\n") + "\n"
        }
        return document("the shards", job, shardCommand, indexed: true) + "---\n"
            + "# Apply once the shards are done: kubectl wait --for=condition=complete job/\(job) --timeout=24h\n"
            + document("the merge", job + "-merge", mergeCommand, indexed: false)
    }

    /// The record as JSON (sorted keys).
    public func recordJSON() throws -> String {
        try ReportJSON.encode(self)
    }

    /// Reads the record `inferplan sweep --slurm` left in `directory`.
    public static func load(directory: String) throws -> SweepBatchJob {
        let path = recordPath(directory)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(location: path, keyPath: "", problem: "no Slurm submission recorded here",
                             valid: "the --output folder of an earlier `inferplan sweep FILE --slurm`")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(SweepBatchJob.self, from: data)
        } catch {
            throw InputError(location: path, keyPath: "", problem: "not a submission record inferplan wrote",
                             valid: "the slurm/job.json that `inferplan sweep --slurm` writes")
        }
    }
}

import Foundation
import Testing
import Yams
@testable import InferplanKit

/// `sweep --slurm` and `--k8s`: the scripts and manifests, the submission record, and the status
/// read from the shard folders. (The real Slurm runs them in scripts/test-slurm.sh.)
@Suite struct SweepBatchJobTests {
    private let scratch = ScratchFolder()

    static func job(directory: String = "/data/out/big", points: Int = 10, shards: Int = 4) -> SweepBatchJob {
        SweepBatchJob(sweep: "/data/big.yaml", name: "big", points: points, directory: directory, binary: "/opt/inferplan/bin/inferplan",
                      shards: shards, cpusPerTask: 8, partition: "gpu", time: "1:00:00", sbatchArgs: ["--account=ml", "--comment=a b"])
    }

    @Test func shardsTogetherHoldEveryPointOnce() {
        for points in [1, 3, 10, 40, 41] {
            for shards in 1...6 where shards <= points {
                let job = Self.job(points: points, shards: shards)
                let counted = (1...shards).map { index in (0..<points).filter { $0 % shards == index - 1 }.count }
                #expect((1...shards).map(job.points(ofShard:)) == counted, "\(points) points, \(shards) shards")
            }
        }
    }

    @Test func theArrayScriptRunsOneShardPerTask() {
        let script = Self.job().arrayScript()
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        for directive in ["#SBATCH --job-name=inferplan-big", "#SBATCH --array=1-4", "#SBATCH --cpus-per-task=8",
                          "#SBATCH --output=/data/out/big/slurm/shard-%a.log", "#SBATCH --partition=gpu", "#SBATCH --time=1:00:00",
                          "#SBATCH --account=ml", "#SBATCH '--comment=a b'"] {
            #expect(lines.contains(directive), "\(directive)")
        }
        #expect(script.contains("exec /opt/inferplan/bin/inferplan sweep /data/big.yaml --shard \"$SLURM_ARRAY_TASK_ID/4\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\""))
        #expect(script.contains("--output /data/out/big/shard-\"$SLURM_ARRAY_TASK_ID\""))
    }

    @Test func theMergeScriptJoinsEveryShardIntoTheFolder() {
        let script = Self.job().mergeScript()
        for index in 1...4 { #expect(script.contains("    /data/out/big/shard-\(index) \\\n")) }
        #expect(script.hasSuffix("    --output /data/out/big --force\n"))
        #expect(script.contains("#SBATCH --job-name=inferplan-big-merge"))
    }

    @Test func theKubernetesManifestIsAnIndexedJobAndAMergeJob() throws {
        let manifest = Self.job().kubernetesManifest(image: "registry.example/inferplan:1", sweepInImage: "Scenarios/sweeps/big.yaml")
        let documents = try Yams.load_all(yaml: manifest).map { $0 as? [String: Any] }
        #expect(documents.count == 2)
        let shards = try #require(documents[0]), merge = try #require(documents[1])
        #expect(shards["kind"] as? String == "Job" && merge["kind"] as? String == "Job")
        let spec = try #require(shards["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed" && spec["completions"] as? Int == 4 && spec["parallelism"] as? Int == 4)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        #expect(container["image"] as? String == "registry.example/inferplan:1")
        let command = try #require((container["args"] as? [String])?.first)
        #expect(command == "inferplan sweep Scenarios/sweeps/big.yaml --shard \"$((JOB_COMPLETION_INDEX + 1))/4\" --jobs 8 --output \"/results/shard-$((JOB_COMPLETION_INDEX + 1))\"")
        let mergeArgs = try #require(((((merge["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first?["args"] as? [String])
        #expect(mergeArgs == ["inferplan merge /results/shard-1 /results/shard-2 /results/shard-3 /results/shard-4 --output /results --force"])
    }

    @Test func theRecordReadsBack() throws {
        let dir = try scratch.folder()
        var job = Self.job(directory: dir)
        job.submissions = [.init(array: "41", shards: [1, 2, 3, 4], merge: "42"), .init(array: "57", shards: [2], merge: "58")]
        try FileOutput.createFolder(job.slurmFolder, location: "test")
        try FileOutput.writeAtomically(try job.recordJSON(), to: job.recordPath)
        #expect(try SweepBatchJob.load(directory: dir) == job)
        #expect(throws: InputError.self) { try SweepBatchJob.load(directory: dir + "/nothing") }
    }

    /// Status from the shard folders: complete lines only (a killed task's half line does not
    /// count), errors counted as done and failed, a shard never started all pending.
    @Test func statusCountsWhatTheJournalsHold() throws {
        let dir = try scratch.folder()
        let job = Self.job(directory: dir, points: 10, shards: 3)
        func journal(_ shard: Int, _ text: String) throws {
            try FileOutput.createFolder(job.shardFolder(shard), location: "test")
            try text.write(toFile: job.shardFolder(shard) + "/results.shard-\(shard)-of-3.jsonl", atomically: true, encoding: .utf8)
        }
        try journal(1, "{\"point\":0,\"x\":\"a\"}\n{\"point\":3,\"x\":\"b\"}\n{\"point\":6,\"x\":\"c\",\"error\":\"does not fit\"}\n{\"point\":9,\"x\":\"d\"}\n")
        try journal(2, "{\"point\":1,\"x\":\"a\"}\n{\"point\":4,\"x\"")
        let status = SweepStatus(job: job)
        #expect(status.shards.map(\.points) == [4, 3, 3])
        #expect(status.shards.map(\.done) == [4, 1, 0] && status.shards.map(\.failed) == [1, 0, 0])
        #expect(status.unfinished == [2, 3] && !status.merged)
        let text = status.text(jobStates: ["41": "RUNNING"])
        #expect(text.contains("  all         10       5       1        5"))
    }
}

import Foundation

/// Where a sharded sweep stands, read from its shard folders: points done, failed (recorded with
/// an error) and pending per shard, and whether the merged results are there.
public struct SweepStatus: Sendable {
    public struct ShardStatus: Sendable, Equatable {
        public var index: Int
        public var points: Int
        public var done: Int
        public var failed: Int
        public var pending: Int { points - done }
        public var finished: Bool { done == points }
    }

    public var job: SweepBatchJob
    public var shards: [ShardStatus]
    /// The merged `results.csv` is there and holds every point.
    public var merged: Bool

    public var unfinished: [Int] { shards.filter { !$0.finished }.map(\.index) }

    /// Reads `job`'s shard folders. A shard that never started has no journal: all its points pending.
    public init(job: SweepBatchJob) {
        self.job = job
        shards = (1...job.shards).map { index in
            let journal = (job.shardFolder(index) as NSString).appendingPathComponent("results.shard-\(index)-of-\(job.shards).jsonl")
            let text = FileManager.default.contents(atPath: journal).map { String(decoding: $0, as: UTF8.self) } ?? ""
            // Complete lines only: a task killed mid-write leaves a half line, which its resumption drops.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let complete = text.hasSuffix("\n") || text.isEmpty ? lines : Array(lines.dropLast())
            var done = Set<Int>(), failed = Set<Int>()
            for line in complete {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let point = object["point"] as? Int else { continue }
                done.insert(point)
                if object["error"] is String { failed.insert(point) }
            }
            return ShardStatus(index: index, points: job.points(ofShard: index), done: done.count, failed: failed.count)
        }
        let mergedCSV = (job.directory as NSString).appendingPathComponent("results.csv")
        let rows = FileManager.default.contents(atPath: mergedCSV).map { String(decoding: $0, as: UTF8.self).split(separator: "\n").count - 1 } ?? -1
        merged = rows == job.points
    }

    /// A table for people, with the batch system's view of each submitted job when given
    /// (`jobStates`: job id -> state, as squeue reports it).
    public func text(jobStates: [String: String] = [:]) -> String {
        var lines = ["sweep \(job.name): \(job.points) points in \(job.shards) shards, results in \(job.directory)",
                     "  shard    points    done  failed  pending"]
        for shard in shards {
            lines.append("  " + Format.pad(String(shard.index), 5, right: false) + Format.pad(String(shard.points), 9)
                         + Format.pad(String(shard.done), 8) + Format.pad(String(shard.failed), 8) + Format.pad(String(shard.pending), 9))
        }
        let done = shards.reduce(0) { $0 + $1.done }, failed = shards.reduce(0) { $0 + $1.failed }
        lines.append("  " + Format.pad("all", 5, right: false) + Format.pad(String(job.points), 9) + Format.pad(String(done), 8) + Format.pad(String(failed), 8)
                     + Format.pad(String(job.points - done), 9))
        lines.append(merged ? "merged: \((job.directory as NSString).appendingPathComponent("results.csv"))"
                     : "not merged yet\(unfinished.isEmpty ? " (every shard is done: the merge job joins them)" : "")")
        for submission in job.submissions {
            let array = jobStates[submission.array].map { " (\($0))" } ?? ""
            let merge = jobStates[submission.merge].map { " (\($0))" } ?? ""
            lines.append("job \(submission.array)\(array): shards \(submission.shards.map(String.init).joined(separator: ",")); merge job \(submission.merge)\(merge)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

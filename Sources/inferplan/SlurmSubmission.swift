import Foundation
import InferplanKit

/// Submitting a sweep's job array and its merge to Slurm (`sbatch`), and asking it about them
/// (`squeue`). What the scripts contain is `SweepBatchJob`'s; this is the talking to the scheduler.
enum Slurm {
    /// Runs a Slurm command; its standard output, or an error with its message.
    static func run(_ command: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw InputError(location: command, keyPath: "", problem: "cannot run \(command): \(error.localizedDescription)",
                             valid: "a machine with Slurm's commands on PATH; or --dry-run to write the scripts only")
        }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw InputError(location: command, keyPath: "",
                             problem: said.isEmpty ? "\(command) failed (exit \(process.terminationStatus))" : "\(command) failed: \(said)",
                             valid: command == "env" || said.contains("No such file") ? "Slurm's commands on PATH; or --dry-run to write the scripts only"
                                 : "a partition, time and options this cluster accepts (--partition, --time, --sbatch-arg)")
        }
        return output
    }

    /// Submits the array for `shards` (all when nil) and a merge that waits for it to succeed;
    /// records both job ids in the job's record. Returns the submission.
    static func submit(_ job: inout SweepBatchJob, shards: [Int]? = nil) throws -> SweepBatchJob.Submission {
        let tasks = shards ?? Array(1...job.shards)
        // `sbatch --parsable` prints "id" or "id;cluster".
        func jobID(_ output: String) -> String {
            output.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        }
        // `--array` on the command line overrides the script's, for a resubmission of some shards.
        let arrayID = tasks.isEmpty ? ""
            : jobID(try run("sbatch", ["--parsable", "--array=" + tasks.map(String.init).joined(separator: ","), job.arrayScriptPath]))
        let mergeID = jobID(try run("sbatch", ["--parsable"] + (arrayID.isEmpty ? [] : ["--dependency=afterok:\(arrayID)"]) + [job.mergeScriptPath]))
        let submission = SweepBatchJob.Submission(array: arrayID, shards: tasks, merge: mergeID)
        job.submissions.append(submission)
        try FileOutput.writeAtomically(try job.recordJSON(), to: job.recordPath)
        return submission
    }

    /// Job id -> state (RUNNING, PENDING, ...) of the jobs squeue still knows; empty when squeue is
    /// not there or knows none of them.
    static func states(of ids: [String]) -> [String: String] {
        guard !ids.isEmpty, let text = try? run("squeue", ["-h", "-o", "%i %T", "-j", ids.joined(separator: ",")]) else { return [:] }
        var states: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            // Array tasks show as ID_TASK: the array's state is its tasks', running first.
            let id = String(parts[0].split(separator: "_").first ?? parts[0])
            if states[id] != "RUNNING" { states[id] = String(parts[1]) }
        }
        return states
    }
}

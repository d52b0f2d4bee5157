import Foundation

/// The results folders merge and report cases start from: a four-point sweep of the default
/// scenario run as two shards, and their merge, made once per fuzz run by the binary under test.
enum Fixture {
    static func make(in folder: String, root: String, binary: String) throws -> CaseGenerator.Fixture {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sweep = folder + "/sweep.yaml"
        try "name: fixture\nbase: \(root)/Scenarios/default.yaml\naxes:\n  workload.seed: [1, 2, 3, 4]\n  workload.samples: [300]\n"
            .write(toFile: sweep, atomically: true, encoding: .utf8)
        let shards = [folder + "/s1", folder + "/s2"]
        for (index, shard) in shards.enumerated() {
            try run(binary, ["sweep", sweep, "--output", shard, "--shard", "\(index + 1)/2", "--jobs", "1"])
        }
        try run(binary, ["merge"] + shards + ["--output", folder + "/merged"])
        return CaseGenerator.Fixture(shards: shards, merged: folder + "/merged", points: 4)
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    private static func run(_ binary: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "inferplan \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(message)")
        }
    }
}

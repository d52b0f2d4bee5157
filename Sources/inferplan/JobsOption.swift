import ArgumentParser
import InferplanKit

/// The `--jobs` of `sweep`, `scale` and `plan`: how many runs go at once, all cores when not given.
enum JobsOption {
    /// 1 to 1024, or not given.
    static func check(_ jobs: Int?) throws {
        guard (1...1024).contains(jobs ?? 1) else { throw ValidationError("--jobs takes a whole number from 1 to 1024, e.g. --jobs 2") }
    }

    /// The runs to go at once.
    static func count(_ jobs: Int?) -> Int { jobs ?? availableCores }
}

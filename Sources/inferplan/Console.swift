import Foundation
import InferplanKit

/// Standard output and error through the throwing `FileHandle` API: the older `write(_:)` traps the
/// process when a write fails (a full device, a closed descriptor).
enum Console {
    /// A report that could not be written: exit status 1 with the reason in words.
    struct WriteError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "cannot write the report: \(reason)" }
    }

    /// Writes the report to standard output; a failure is a `WriteError`.
    static func out(_ text: String) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            throw WriteError(reason: reason(error))
        }
    }

    /// The system's words for a failed write ("No space left on device"), from the POSIX error
    /// behind Foundation's.
    static func reason(_ error: Error) -> String { FileOutput.reason(error) }

    /// Writes a message to standard error. When even that fails there is nowhere left to say so:
    /// the failure is dropped (the exit status still tells).
    static func err(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

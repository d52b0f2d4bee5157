import Foundation

/// A folder of its own under the temporary directory, removed with everything in it when the
/// object goes away.
///
/// A suite keeps one as a stored property: Swift Testing makes a fresh suite instance for every
/// test and releases it when the test ends, so each test writes into a clean folder and leaves
/// nothing behind in `/tmp`.
final class ScratchFolder: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("inferplan-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the folder (`name` may contain slashes; nothing is created).
    func file(_ name: String) -> String { path + "/" + name }

    /// A new, empty sub-folder.
    func folder(_ name: String = UUID().uuidString) throws -> String {
        let folder = file(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

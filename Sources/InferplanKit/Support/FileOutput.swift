import Foundation

/// Writing files and folders with failures in words: what failed, on which path, and the system's
/// reason ("Read-only file system", "Permission denied", "No space left on device"), never
/// Foundation's raw `NSCocoaErrorDomain` dump or its "The file doesn't exist" for a folder that
/// could not be created.
public enum FileOutput {
    /// The system's words for a failed file operation, from the POSIX error behind Foundation's.
    public static func reason(_ error: Error) -> String {
        var current = error as NSError
        while true {
            if current.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(current.code))) }
            guard let underlying = current.userInfo[NSUnderlyingErrorKey] as? NSError else { return current.localizedDescription }
            current = underlying
        }
    }

    /// Why `folder` cannot take a new file, or nil when it can: it is missing, not a folder, or
    /// not writable, in the system's words (`access(2)` tells a read-only file system from a
    /// permission problem, which `FileManager.isWritableFile` does not).
    public static func unwritableReason(folder: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { return "the folder does not exist" }
        guard isDirectory.boolValue else { return "it is not a folder" }
        guard access(folder, W_OK) == 0 else { return String(cString: strerror(errno)) }
        return nil
    }

    /// Creates `folder` and its missing parents. A failure names the first folder that could not be
    /// made and why, attributed to `location` (the option that named it, e.g. `--output out/x`).
    public static func createFolder(_ folder: String, location: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw InputError(location: location, keyPath: "", problem: "\(folder) is a file, not a folder", valid: "a folder path")
            }
            return
        }
        // mkdir(2) one level at a time, so a failure names the folder and the system's reason
        // (FileManager reports EPERM as "You don't have permission" without the path's errno).
        var missing: [String] = []
        var ancestor = folder
        while !ancestor.isEmpty, ancestor != "/", !FileManager.default.fileExists(atPath: ancestor) {
            missing.append(ancestor)
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        for path in missing.reversed() where mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw InputError(location: location, keyPath: "", problem: "cannot create the folder \(path): \(String(cString: strerror(errno)))",
                             valid: "a folder this user can write to")
        }
    }

    /// Replaces `path` atomically (a temporary file beside it, then a rename), so a reader never
    /// sees half a file and a failure leaves the old one whole.
    public static func writeAtomically(_ text: String, to path: String, location: String? = nil) throws {
        // open(2), write(2) and rename(2) directly: each failure has its errno, where Foundation's
        // atomic write reports some (EPERM) only as "You don't have permission".
        func fail(_ step: String) -> InputError {
            InputError(location: location ?? path, keyPath: "", problem: "cannot \(step) \(path): \(String(cString: strerror(errno)))",
                       valid: "a folder this user can write to, with room on its device")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fail("write") }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let error = fail("write")
                close(descriptor)
                unlink(temporary)
                throw error
            }
            bytes = bytes.dropFirst(written)
        }
        guard close(descriptor) == 0 else {
            let error = fail("write")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = fail("replace")
            unlink(temporary)
            throw error
        }
    }
}

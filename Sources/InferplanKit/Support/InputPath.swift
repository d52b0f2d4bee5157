import Foundation

/// What is at a path a scenario names as an input file (a catalog entry, a trace): checked where
/// the line that names it is known, so a folder or a device is refused there rather than later
/// with only the path ("cannot read the file").
enum InputPath {
    case file, missing, folder, special

    init(_ path: String) {
        switch (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType {
        case nil: self = .missing
        case .typeRegular?: self = .file
        case .typeDirectory?: self = .folder
        default: self = .special
        }
    }

    /// What the path is, in words, when it is neither a regular file nor missing.
    var words: String? {
        switch self {
        case .folder: return "a folder"
        case .special: return "a device or other special file"
        case .file, .missing: return nil
        }
    }
}

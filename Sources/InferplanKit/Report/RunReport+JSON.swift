import Foundation

extension RunReport {
    /// Pretty-printed JSON with sorted keys, so that equal reports are equal byte for byte.
    public func json() throws -> String {
        try ReportJSON.encode(self)
    }
}

/// JSON encoding shared by all reports: keys in snake_case from the Swift names (each key is
/// spelled once, as its property; `CodingKeys` only where a key differs, such as `repeat`), sorted,
/// pretty printed, no escaped slashes.
public enum ReportJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

import Foundation

/// A CSV file with a header row, each record keeping its line number for error messages.
///
/// RFC 4180 quoting (quoted fields, doubled quotes, commas and newlines inside quotes). Written here
/// rather than taken from a package because every record must carry its line number, which the
/// CSV packages available do not report.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String: String]
        /// The row's values in header order, as given.
        public var values: [String]
    }

    public var file: String
    public var header: [String]
    public var rows: [Row]

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(location: path, keyPath: "", problem: FileManager.default.fileExists(atPath: path) ? "cannot read the file as UTF-8 text" : "no such file")
        }
        try self.init(text: text, file: path)
    }

    public init(text: String, file: String) throws {
        self.file = file
        let records = try Self.records(text, file: file)
        guard let first = records.first else {
            throw InputError(location: file, keyPath: "", problem: "the file is empty", valid: "a header row, then one row per result")
        }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = []
        for record in records.dropFirst() {
            if record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard record.fields.count == header.count else {
                throw InputError(location: "\(file):\(record.line)", keyPath: "",
                                 problem: "\(record.fields.count) fields, but the header has \(header.count)",
                                 valid: header.joined(separator: ","))
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(header, record.fields) { fields[name] = value.trimmingCharacters(in: .whitespaces) }
            rows.append(Row(line: record.line, fields: fields, values: record.fields))
        }
    }

    /// Splits text into records of fields, honouring quotes; each record with its first line.
    static func records(_ text: String, file: String) throws -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var iterator = Array(text.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if iterator.first == "\"" { field.unicodeScalars.append("\""); iterator.removeFirst() } else { inQuotes = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                fields.append(field); field = ""
                records.append((recordLine, fields)); fields = []
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw InputError(location: "\(file):\(recordLine)", keyPath: "", problem: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append((recordLine, fields)) }
        return records
    }
}

import Foundation

/// Requests replayed from a CSV trace, in one of two layouts (told apart by the header):
/// - Azure LLM inference trace: `TIMESTAMP,ContextTokens,GeneratedTokens`, timestamps like
///   `2023-11-16 18:15:46.6805900`;
/// - plain: `arrival_s,input_tokens,output_tokens`, arrivals in seconds.
/// Arrivals are made relative to the first row and multiplied by `timeScale` (0.5 replays twice as
/// fast). Rows must be in arrival order; a malformed row is an error naming its line.
public enum TraceFile {
    public enum Layout: String, Sendable { case azure, plain }

    /// `maxContext`: the model's context; a row whose input plus output exceeds it is an error
    /// naming its line (so token counts stay far from integer overflow downstream).
    public static func load(path: String, displayName: String, timeScale: Double, maxContext: Int = .max) throws -> [Request] {
        let table = try CSVTable(path: path)
        let layout: Layout
        let columns: (arrival: String, input: String, output: String)
        if table.header.contains("TIMESTAMP") {
            layout = .azure
            columns = ("TIMESTAMP", "ContextTokens", "GeneratedTokens")
        } else {
            layout = .plain
            columns = ("arrival_s", "input_tokens", "output_tokens")
        }
        for column in [columns.arrival, columns.input, columns.output] where !table.header.contains(column) {
            throw InputError(location: "\(displayName):1", keyPath: column, problem: "missing column '\(column)'",
                             valid: "an Azure trace header TIMESTAMP,ContextTokens,GeneratedTokens or arrival_s,input_tokens,output_tokens")
        }
        var requests: [Request] = []
        requests.reserveCapacity(table.rows.count)
        var first: Double?
        var previous = -Double.infinity
        for row in table.rows {
            let location = "\(displayName):\(row.line)"
            func tokens(_ column: String) throws -> Int {
                let text = row.fields[column] ?? ""
                guard let value = Int(text), value >= 1 else {
                    throw InputError(location: location, keyPath: column, problem: "'\(text)' is not a token count of at least 1",
                                     valid: "a whole number >= 1")
                }
                return value
            }
            let text = row.fields[columns.arrival] ?? ""
            let time: Double?
            switch layout {
            case .azure: time = parseTimestamp(text)
            case .plain: time = Double(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            }
            guard let time else {
                throw InputError(location: location, keyPath: columns.arrival, problem: "'\(text)' is not a valid arrival time",
                                 valid: layout == .azure ? "a timestamp like 2023-11-16 18:15:46.6805900" : "seconds >= 0")
            }
            guard time >= previous else {
                throw InputError(location: location, keyPath: columns.arrival, problem: "arrivals go back in time",
                                 valid: "rows sorted by arrival")
            }
            previous = time
            let start = first ?? time
            first = start
            let input = try tokens(columns.input), output = try tokens(columns.output)
            guard input <= maxContext, output <= maxContext - input else {
                throw InputError(location: location, keyPath: "\(columns.input) + \(columns.output)",
                                 problem: "\(input) input + \(output) output tokens exceed the model's context of \(maxContext) tokens",
                                 valid: "\(columns.input) + \(columns.output) <= \(maxContext)")
            }
            requests.append(Request(arrival: (time - start) * timeScale, inputTokens: input, outputTokens: output))
        }
        guard !requests.isEmpty else {
            throw InputError(location: "\(displayName):1", keyPath: "", problem: "the trace has a header and no rows", valid: "at least one request after the header")
        }
        return requests
    }

    /// Seconds since 1970 of `YYYY-MM-DD HH:MM:SS[.fraction]` (UTC), or nil.
    static func parseTimestamp(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        let clock = parts[1].split(separator: ":")
        guard date.count == 3, clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
              let second = Double(clock[2]), (1...12).contains(date[1]), (1...31).contains(date[2]),
              (0..<24).contains(hour), (0..<60).contains(minute), second >= 0, second < 61 else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = date[1] <= 2 ? date[0] - 1 : date[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (date[1] + 9) % 12
        let doy = (153 * mp + 2) / 5 + date[2] - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days) * 86_400 + Double(hour * 3600 + minute * 60) + second
    }
}

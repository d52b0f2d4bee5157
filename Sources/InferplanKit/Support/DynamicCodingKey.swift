/// A coding key made from a string at run time, for JSON objects whose keys are data (CSV column
/// names, figure names) rather than fixed properties.
struct DynamicCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

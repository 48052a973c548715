/// One problem found in a workflow document: what, where, and how to fix it.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable { case error, warning }

    /// A stable code such as `reference.later`; tests and repair prompts match on it.
    public var code: DiagnosticCode
    public var severity: Severity
    /// RFC 6901 pointer to the offending value in the document; `""` is the whole document.
    public var pointer: String
    /// What is wrong, for a person.
    public var message: String
    /// What to change, phrased so a language model can act on it.
    public var hint: String
    /// Where the pointer's value starts in the source text, when known.
    public var location: SourceLocation?

    public init(
        _ code: DiagnosticCode, at pointer: String, _ message: String, hint: String,
        severity: Severity = .error, location: SourceLocation? = nil
    ) {
        self.code = code
        self.severity = severity
        self.pointer = pointer
        self.message = message
        self.hint = hint
        self.location = location
    }

    public var description: String {
        let place = location.map { "\($0) " } ?? ""
        return "\(severity.rawValue) \(code) at \(place)\(pointer.isEmpty ? "/" : pointer): \(message)"
    }
}

/// A diagnostic's stable code. The full list, with a summary of each, is `DiagnosticCode.all`.
public struct DiagnosticCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The one judge of a workflow document's validity, used by the composer, the engine and the command line.
///
/// It reads the document, runs every rule, and returns all diagnostics at once. A definition comes back
/// only when there is no error.
public struct WorkflowValidator: Sendable {
    public var catalog: ConnectorCatalog?

    /// `catalog` is what `call` steps are checked against; without one they are not checked (a warning says so).
    public init(catalog: ConnectorCatalog? = nil) {
        self.catalog = catalog
    }

    static let rules: [any ValidationRule] = [
        StepIdRule(), InputRule(), BlockRule(), ReferenceRule(), FunctionRule(), TimingRule(), TriggerRule(),
        CompensationRule(), CatalogRule(), LimitRule(),
    ]

    /// Validates JSON text given as bytes; invalid UTF-8 and JSON syntax errors are diagnostics too.
    /// A document over `WorkflowLimits.maxDocumentBytes` is refused before it is read.
    public func validate(bytes: [UInt8]) -> ValidationResult {
        if let tooLarge = LimitRule.documentSize(bytes.count) { return ValidationResult(diagnostics: [tooLarge]) }
        if let offset = UTF8Check.firstInvalidOffset(bytes) {
            let line = bytes[..<offset].count { $0 == 0x0A } + 1
            let column = offset - (bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return ValidationResult(diagnostics: [Diagnostic(
                .documentEncoding, at: "", "the document is not valid UTF-8 (first bad byte at line \(line), column \(column))",
                hint: "Save the document as UTF-8 text.", location: SourceLocation(line: line, column: column))])
        }
        var parser = JSONParser(bytes: bytes)
        do {
            let document = try parser.parseDocument()
            var result = validate(document: document)
            if !result.diagnostics.isEmpty {
                // Only documents with something to report pay for recording where each value starts.
                var locating = JSONParser(bytes: bytes, recordLocations: true)
                _ = try? locating.parseDocument()
                result.attachLocations(locating.locations)
            }
            return result
        } catch {
            return ValidationResult(diagnostics: [Diagnostic(
                .jsonSyntax, at: "", "the document is not valid JSON: \(error.message) at line \(error.location.line), column \(error.location.column)",
                hint: "Return one complete JSON object, with double-quoted names and strings and no trailing commas or comments.",
                location: error.location)])
        }
    }

    /// Validates JSON text.
    public func validate(json text: String) -> ValidationResult { validate(bytes: Array(text.utf8)) }

    /// Validates an already parsed document; `locations` maps JSON Pointers to where values start in the source.
    public func validate(document: JSONValue, locations: [String: SourceLocation] = [:]) -> ValidationResult {
        var reader = DocumentReader()
        let definition = reader.read(document)
        let context = ValidationContext(document: document, catalog: catalog, definition: definition)
        var diagnostics = reader.diagnostics
        for rule in Self.rules { diagnostics += rule.check(context) }
        let hasError = diagnostics.contains { $0.severity == .error }
        var result = ValidationResult(diagnostics: diagnostics, definition: hasError ? nil : definition, document: document)
        result.readDefinition = definition
        result.attachLocations(locations)
        return result
    }

    static func location(of pointer: String, in locations: [String: SourceLocation]) -> SourceLocation? {
        var candidate = pointer
        while true {
            if let location = locations[candidate] { return location }
            guard let slash = candidate.lastIndex(of: "/") else { return nil }
            candidate = String(candidate[..<slash])
        }
    }
}

/// What the validator found: every diagnostic, and the definition when there is no error.
public struct ValidationResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var definition: WorkflowDefinition?
    public var document: JSONValue?
    /// The definition as far as the document could be read, problems or not (for drawing an invalid one).
    public var readDefinition: WorkflowDefinition?

    public init(diagnostics: [Diagnostic], definition: WorkflowDefinition? = nil, document: JSONValue? = nil) {
        self.diagnostics = diagnostics
        self.definition = definition
        self.document = document
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Gives each diagnostic without a location the place of its pointer (or of its nearest parent).
    mutating func attachLocations(_ locations: [String: SourceLocation]) {
        guard !locations.isEmpty else { return }
        for i in diagnostics.indices where diagnostics[i].location == nil {
            diagnostics[i].location = WorkflowValidator.location(of: diagnostics[i].pointer, in: locations)
        }
    }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var isValid: Bool { definition != nil }
}

/// What every rule may look at.
struct ValidationContext {
    var document: JSONValue
    var catalog: ConnectorCatalog?
    var definition: WorkflowDefinition
}

/// One independent check over a read document.
protocol ValidationRule: Sendable {
    func check(_ context: ValidationContext) -> [Diagnostic]
}

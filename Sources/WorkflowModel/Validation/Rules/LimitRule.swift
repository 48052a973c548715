/// The document stays within `WorkflowLimits`: its size, its number of steps and the length of its strings.
struct LimitRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let size = Self.documentSize(Self.compactSize(context.document)) { diagnostics.append(size) }
        let steps = context.definition.allSteps
        if steps.count > WorkflowLimits.maxSteps {
            diagnostics.append(Diagnostic(
                .documentSteps, at: "/steps",
                "the workflow has \(steps.count) steps, nested ones counted; the limit is \(WorkflowLimits.maxSteps)",
                hint: "Split the work into several workflows, or loop over data with one foreach step instead of repeating steps."))
        }
        var texts: [(pointer: String, text: String?, limit: Int, what: String)] = [
            ("/description", context.definition.description, WorkflowLimits.maxDescriptionLength, "a description")
        ]
        for input in context.definition.inputs {
            texts.append((input.pointer + "/description", input.description, WorkflowLimits.maxDescriptionLength, "a description"))
        }
        for step in steps {
            texts.append((step.pointer + "/name", step.name, WorkflowLimits.maxNameLength, "a step name"))
            texts.append((step.pointer + "/description", step.description, WorkflowLimits.maxDescriptionLength, "a description"))
        }
        var reported: Set<String> = []
        for entry in texts {
            guard let text = entry.text, text.utf8.count > entry.limit, text.count > entry.limit else { continue }
            reported.insert(entry.pointer)
            diagnostics.append(Diagnostic(
                .fieldLength, at: entry.pointer,
                "\(entry.what) of \(text.count) characters at \(entry.pointer); the limit is \(entry.limit)",
                hint: "Shorten the text at \(entry.pointer) to at most \(entry.limit) characters."))
        }
        Self.longStrings(in: context.document, at: "") { pointer, bytes in
            guard !reported.contains(pointer) else { return }
            diagnostics.append(Diagnostic(
                .fieldLength, at: pointer,
                "a string of \(bytes) bytes at \(pointer); the limit is \(WorkflowLimits.maxStringBytes) bytes (64 KiB)",
                hint: "Keep data out of the workflow: read it at run time with a call, or shorten the text at \(pointer)."))
        }
        return diagnostics
    }

    /// The diagnostic for a document of `bytes` bytes, when that is over the limit.
    static func documentSize(_ bytes: Int) -> Diagnostic? {
        guard bytes > WorkflowLimits.maxDocumentBytes else { return nil }
        return Diagnostic(
            .documentSize, at: "",
            "the document is \(bytes) bytes; the limit is \(WorkflowLimits.maxDocumentBytes) bytes (1 MiB)",
            hint: "Make the workflow smaller: keep data out of it (read it at run time with a call) and split it into several workflows.")
    }

    /// About how many bytes `value` takes as compact JSON (escapes aside).
    static func compactSize(_ value: JSONValue) -> Int {
        switch value {
        case .null, .bool: 5
        case .number: 8
        case .string(let s): s.utf8.count + 2
        case .array(let items): items.reduce(1) { $0 + compactSize($1) + 1 }
        case .object(let object): object.reduce(1) { $0 + $1.key.utf8.count + 4 + compactSize($1.value) }
        }
    }

    /// Calls `found` with the pointer and size of every string value longer than `WorkflowLimits.maxStringBytes`.
    static func longStrings(in value: JSONValue, at pointer: String, _ found: (String, Int) -> Void) {
        switch value {
        case .string(let s) where s.utf8.count > WorkflowLimits.maxStringBytes: found(pointer, s.utf8.count)
        case .array(let items): for (i, item) in items.enumerated() { longStrings(in: item, at: "\(pointer)/\(i)", found) }
        case .object(let object):
            for (key, item) in object { longStrings(in: item, at: "\(pointer)/\(JSONPointer.escape(key))", found) }
        default: break
        }
    }
}

extension ConnectorOperation {
    /// The names of the success response's top-level fields, from its documented example when that is an object,
    /// else from its shape (`{items: [...], total: integer}` gives `items`, `total`; each object of a union counts).
    /// Empty when neither says.
    public var responseFields: [String] {
        if case .object(let example)? = responseExample, !example.isEmpty { return example.map(\.key) }
        guard let shape = responseShape else { return [] }
        return Self.topLevelFields(ofShape: shape)
    }

    /// The member names at the first level of braces of a compact shape, skipping quoted values and `[key: ...]`.
    static func topLevelFields(ofShape shape: String) -> [String] {
        var fields: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var name: String?
        for character in shape {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"":
                inString = true
            case "{", "[":
                depth += 1
                name = depth == 1 && character == "{" ? "" : nil
            case "}", "]":
                depth -= 1
            case "," where depth == 1:
                name = ""
            case ":" where depth == 1:
                let found = String((name ?? "").filter { $0 != " " && $0 != "*" })
                if !found.isEmpty, !fields.contains(found) { fields.append(found) }
                name = nil
            default:
                if depth == 1 { name?.append(character) }
            }
        }
        return fields
    }
}

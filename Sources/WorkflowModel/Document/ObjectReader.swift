/// Reads the fields of one JSON object, reporting missing, mistyped and unknown fields as diagnostics.
struct ObjectReader {
    let object: JSONObject
    let pointer: String
    private var used: Set<String> = []

    init(_ object: JSONObject, at pointer: String) {
        self.object = object
        self.pointer = pointer
    }

    func path(_ key: String) -> String { pointer + "/" + JSONPointer.escape(key) }

    /// The raw value of `key`, marking it as known.
    mutating func value(_ key: String, required: Bool = false, what: String, into diagnostics: inout [Diagnostic]) -> JSONValue? {
        used.insert(key)
        guard let value = object[key] else {
            if required {
                diagnostics.append(Diagnostic(
                    .fieldMissing, at: pointer, "\(what) has no \"\(key)\"",
                    hint: "Add the required field \"\(key)\" to the object at \(pointer.isEmpty ? "/" : pointer)."))
            }
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool = false, what: String, into diagnostics: inout [Diagnostic]) -> String? {
        typed(key, required: required, what: what, type: "string", into: &diagnostics) { $0.stringValue }
    }

    mutating func bool(_ key: String, what: String, into diagnostics: inout [Diagnostic]) -> Bool? {
        typed(key, required: false, what: what, type: "boolean", into: &diagnostics) { $0.boolValue }
    }

    mutating func number(_ key: String, what: String, into diagnostics: inout [Diagnostic]) -> Double? {
        typed(key, required: false, what: what, type: "number", into: &diagnostics) { $0.numberValue }
    }

    mutating func integer(_ key: String, what: String, into diagnostics: inout [Diagnostic]) -> Int? {
        typed(key, required: false, what: what, type: "integer", into: &diagnostics) {
            guard let n = $0.numberValue, n.rounded() == n, abs(n) < 1e9 else { return nil }
            return Int(n)
        }
    }

    mutating func array(_ key: String, required: Bool = false, what: String, into diagnostics: inout [Diagnostic]) -> [JSONValue]? {
        typed(key, required: required, what: what, type: "array", into: &diagnostics) { $0.arrayValue }
    }

    mutating func object(_ key: String, required: Bool = false, what: String, into diagnostics: inout [Diagnostic]) -> JSONObject? {
        typed(key, required: required, what: what, type: "object", into: &diagnostics) { $0.objectValue }
    }

    /// A string that must be one of `Choice`'s raw values.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, _: Choice.Type, required: Bool = false, what: String, into diagnostics: inout [Diagnostic]
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(key, required: required, what: what, into: &diagnostics) else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        diagnostics.append(Diagnostic(
            .fieldValue, at: path(key), "\"\(text)\" is not a valid \(key) for \(what); expected one of \(allowed)",
            hint: "Set \"\(key)\" to one of \(allowed)."))
        return nil
    }

    private mutating func typed<T>(
        _ key: String, required: Bool, what: String, type: String, into diagnostics: inout [Diagnostic],
        _ convert: (JSONValue) -> T?
    ) -> T? {
        guard let raw = value(key, required: required, what: what, into: &diagnostics) else { return nil }
        if let converted = convert(raw) { return converted }
        diagnostics.append(Diagnostic(
            .fieldType, at: path(key), "\"\(key)\" of \(what) must be \(article(type)) \(type), not \(article(raw.typeName)) \(raw.typeName)",
            hint: "Give \"\(key)\" \(article(type)) \(type) value."))
        return nil
    }

    /// Reports every field of the object that was never asked for.
    func reportUnknown(what: String, allowed: String, into diagnostics: inout [Diagnostic], code: DiagnosticCode = .fieldUnknown) {
        for key in object.keys where !used.contains(key) {
            diagnostics.append(Diagnostic(
                code, at: path(key), "\"\(key)\" is not a field of \(what)",
                hint: "Remove \"\(key)\"; the fields of \(what) are: \(allowed)."))
        }
    }

    var unusedKeys: [String] { object.keys.filter { !used.contains($0) } }
}

func article(_ word: String) -> String {
    guard let first = word.first else { return "a" }
    return "aeiou".contains(first) ? "an" : "a"
}

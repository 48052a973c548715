import Foundation
import WorkflowModel

/// Deterministic repairs of a workflow document's structure: the mistakes models make often and whose fix
/// is certain. Anything less certain is left for the validator to report and the model to fix.
struct DocumentRepairer {
    private(set) var repairs: [String] = []
    /// When given, calls are checked against it for parameters written in the wrong place.
    var catalog: ConnectorCatalog?

    static let topLevelFields = ["format", "name", "description", "trigger", "inputs", "steps", "timeout", "onError"]
    static let stepFields = Set(Step.Kind.allCases.flatMap(StepFields.allowed(for:)))
    static let wrapperKeys: Set<String> = ["workflow", "definition", "document", "result", "data", "output"]

    /// Kind names models use, mapped to Baton's kind (and, for waits, what they wait for).
    static let kindSynonyms: [String: (kind: Step.Kind, waitFor: Step.Wait.Kind?)] = [
        "http": (.call, nil), "api": (.call, nil), "api_call": (.call, nil), "apicall": (.call, nil),
        "request": (.call, nil), "http_request": (.call, nil), "invoke": (.call, nil), "action": (.call, nil),
        "task": (.call, nil), "operation": (.call, nil),
        "map": (.transform, nil), "set": (.transform, nil), "assign": (.transform, nil), "compute": (.transform, nil),
        "if": (.condition, nil), "branch": (.condition, nil), "decision": (.condition, nil), "conditional": (.condition, nil),
        "choice": (.switch, nil), "case": (.switch, nil), "router": (.switch, nil),
        "fork": (.parallel, nil), "concurrent": (.parallel, nil), "parallel_branches": (.parallel, nil),
        "loop": (.foreach, nil), "for_each": (.foreach, nil), "for-each": (.foreach, nil), "each": (.foreach, nil),
        "iterate": (.foreach, nil), "for": (.foreach, nil),
        "delay": (.wait, .timer), "sleep": (.wait, .timer), "timer": (.wait, .timer), "pause": (.wait, .timer),
        "approval": (.wait, .approval), "human_approval": (.wait, .approval), "callback": (.wait, .callback),
        "error": (.fail, nil), "raise": (.fail, nil), "throw": (.fail, nil), "abort": (.fail, nil), "stop": (.fail, nil),
        "sequence": (.group, nil), "block": (.group, nil), "try": (.group, nil),
    ]

    static let fieldSynonyms: [String: String] = [
        "type": "kind", "parameters": "params", "param": "params", "arguments": "params", "args": "params",
        "condition": "if", "retries": "retry", "retrypolicy": "retry", "on_error": "onError", "onerror": "onError",
        "compensation": "compensate", "undo": "compensate", "operationid": "operation", "operation_id": "operation",
        "service": "connector", "system": "connector", "fail_fast": "failFast", "failfast": "failFast",
        "on_timeout": "onTimeout", "ontimeout": "onTimeout",
    ]

    mutating func repair(_ document: JSONValue) -> JSONValue {
        guard case .object(var object) = document else { return document }
        if object["steps"] == nil, object.count <= 2,
            let (key, inner) = object.first(where: { Self.wrapperKeys.contains($0.key.lowercased()) && OutputExtractor.looksLikeWorkflow($0.value) }),
            case .object(let unwrapped) = inner
        {
            repairs.append("unwrapped the workflow from \"\(key)\"")
            object = unwrapped
        }
        object = renameKeys(object, known: Self.topLevelFields, synonyms: ["version": "format", "parameters": "inputs"], at: "")
        switch object["format"] {
        case nil:
            object = JSONObject([("format", .number(1))] + object.map { ($0.key, $0.value) })
            repairs.append("added \"format\": 1")
        case .string(let text)?:
            if let n = Double(text.trimming("v ")) { object["format"] = .number(n); repairs.append("\"format\": \"\(text)\" → \(n.jsonText)") }
        default: break
        }
        if case .object(let inputs)? = object["inputs"] {
            object["inputs"] = .array(inputs.map { name, spec in
                var entry = JSONObject([("name", .string(name))])
                if case .object(let fields) = spec { for (k, v) in fields where k != "name" { entry[k] = v } }
                else if case .string(let type) = spec { entry["type"] = .string(type) }
                return .object(entry)
            })
            repairs.append("turned the \"inputs\" object into a list")
        }
        if case .array(let inputs)? = object["inputs"] {
            object["inputs"] = .array(inputs.enumerated().map { i, input in
                guard case .object(var fields) = input else { return input }
                fields = coerceBool(fields, "required", at: "/inputs/\(i)")
                return .object(fields)
            })
        }
        if case .object(var policy)? = object["onError"], let steps = policy["steps"] {
            policy["steps"] = repairSteps(steps, at: "/onError/steps")
            object["onError"] = .object(policy)
        }
        if let steps = object["steps"] { object["steps"] = repairSteps(steps, at: "/steps") }
        if let timeout = object["timeout"] { object["timeout"] = repairDuration(timeout, at: "/timeout") }
        if let steps = object["steps"] { object["steps"] = callingFunctions(steps, at: "/steps") }
        return .object(object)
    }

    /// Every expression under `value` with functions called as methods (`${input.services.join(', ')}`) written as
    /// function calls (`MethodCalls`).
    private mutating func callingFunctions(_ value: JSONValue, at pointer: String) -> JSONValue {
        var notes: [String] = []
        let fixed = value.mappingExpressionStrings(at: pointer) { at, text in
            let fixed = ExpressionText.mapping(text) { MethodCalls.rewritten($0) ?? $0 }
            guard fixed != text else { return nil }
            notes.append("\(at): a function called as a method → \"\(fixed)\"")
            return fixed
        }
        repairs += notes
        return fixed
    }

    /// Each step repaired. Steps written inside a step that holds none (a transform's "steps") come after it in the
    /// same list, as the order they were written in says; a condition's "steps" are its "then".
    private mutating func repairSteps(_ value: JSONValue, at pointer: String) -> JSONValue {
        guard case .array(let items) = value else { return value }
        var repaired: [JSONValue] = []
        for (index, item) in items.enumerated() {
            let at = "\(pointer)/\(index)"
            let fixed = repairStep(item, at: at)
            guard case .object(var step) = fixed, case .array(let inner)? = step["steps"],
                let kind = step["kind"]?.stringValue.flatMap(Step.Kind.init(rawValue:)), !StepFields.specific(to: kind).contains("steps")
            else {
                repaired.append(fixed)
                continue
            }
            step["steps"] = nil
            if kind == .condition, step["then"] == nil {
                step["then"] = .array(inner)
                repaired.append(.object(step))
                repairs.append("\(at)/steps: a condition's steps are its \"then\"")
            } else {
                repaired.append(.object(step))
                repaired += inner
                repairs.append("\(at)/steps: a \(kind.rawValue) step holds no steps, so its \(inner.count) step(s) follow it")
            }
        }
        return .array(repaired)
    }

    private mutating func repairStep(_ value: JSONValue, at pointer: String) -> JSONValue {
        guard case .object(var step) = value else { return value }
        step = renameKeys(step, known: Array(Self.stepFields), synonyms: Self.fieldSynonyms, at: pointer)
        if case .string(let kindName)? = step["kind"], Step.Kind(rawValue: kindName) == nil {
            let folded = kindName.lowercased().replacingOccurrences(of: " ", with: "_")
            if let kind = Step.Kind.allCases.first(where: { $0.rawValue == folded.replacingOccurrences(of: "_", with: "") }) {
                step["kind"] = .string(kind.rawValue)
                repairs.append("\(pointer)/kind: \"\(kindName)\" → \"\(kind.rawValue)\"")
            } else if let synonym = Self.kindSynonyms[folded] {
                step["kind"] = .string(synonym.kind.rawValue)
                repairs.append("\(pointer)/kind: \"\(kindName)\" → \"\(synonym.kind.rawValue)\"")
                if let waitFor = synonym.waitFor, step["for"] == nil { step["for"] = .string(waitFor.rawValue) }
            }
        }
        for key in ["then", "else", "default", "steps", "onTimeout"] {
            if let nested = step[key] { step[key] = repairSteps(nested, at: pointer + "/" + key) }
        }
        for key in ["if", "items"] {
            if case .string(let text)? = step[key] {
                step[key] = .string(spellOperators(unwrapInnerTemplates(text, at: pointer + "/" + key), at: pointer + "/" + key))
            }
        }
        if case .array(let cases)? = step["cases"] {
            step["cases"] = .array(cases.enumerated().map { i, item in
                guard case .object(var c) = item, let steps = c["steps"] else { return item }
                c["steps"] = repairSteps(steps, at: "\(pointer)/cases/\(i)/steps")
                if case .string(let when)? = c["when"] {
                    let at = "\(pointer)/cases/\(i)/when"
                    c["when"] = .string(spellOperators(unwrapInnerTemplates(when, at: at), at: at))
                }
                return .object(c)
            })
        }
        if case .array(let branches)? = step["branches"] {
            step["branches"] = .array(branches.enumerated().map { i, item in
                if case .array = item {
                    repairs.append("\(pointer)/branches/\(i): wrapped a bare list of steps as branch \"branch\(i + 1)\"")
                    return .object(JSONObject([("name", .string("branch\(i + 1)")), ("steps", repairSteps(item, at: "\(pointer)/branches/\(i)/steps"))]))
                }
                guard case .object(var b) = item, let steps = b["steps"] else { return item }
                b["steps"] = repairSteps(steps, at: "\(pointer)/branches/\(i)/steps")
                return .object(b)
            })
        }
        if let compensation = step["compensate"] { step["compensate"] = repairStep(compensation, at: pointer + "/compensate") }
        // Only a call can undo a call: a compensation of another kind (a transform holding a message) undoes nothing.
        if let kind = step["compensate"]?["kind"]?.stringValue, Step.Kind(rawValue: kind) != nil, kind != "call" {
            step["compensate"] = nil
            repairs.append("\(pointer)/compensate: a \(kind) step undoes nothing, so it is left out (only a call can compensate)")
        }
        step = placeParameters(step, at: pointer)
        if case .object(var onError)? = step["onError"] {
            if case .string(let action)? = onError["action"], action != action.lowercased() {
                onError["action"] = .string(action.lowercased())
                repairs.append("\(pointer)/onError/action: \"\(action)\" → \"\(action.lowercased())\"")
            }
            if let steps = onError["steps"] { onError["steps"] = repairSteps(steps, at: pointer + "/onError/steps") }
            step["onError"] = .object(onError)
        }
        if case .object(var retry)? = step["retry"] {
            retry = coerceNumber(retry, "maxAttempts", at: pointer + "/retry")
            retry = coerceNumber(retry, "multiplier", at: pointer + "/retry")
            for key in ["initialDelay", "maxDelay"] {
                if let value = retry[key] { retry[key] = repairDuration(value, at: "\(pointer)/retry/\(key)") }
            }
            step["retry"] = .object(retry)
        }
        step = coerceNumber(step, "concurrency", at: pointer)
        step = coerceBool(step, "failFast", at: pointer)
        // A callback or approval waits at most its `timeout`; a timer's `duration` written there means that.
        if step["kind"] == "wait", step["for"] == "approval" || step["for"] == "callback", step["timeout"] == nil, let duration = step["duration"] {
            step["timeout"] = duration
            step["duration"] = nil
            repairs.append("\(pointer)/duration → \(pointer)/timeout (a \(step["for"]?.stringValue ?? "") wait has a timeout)")
        }
        for key in ["timeout", "duration"] {
            if let value = step[key] { step[key] = repairDuration(value, at: "\(pointer)/\(key)") }
        }
        return .object(step)
    }

    /// A required path or query parameter that is missing from `params` but written in the body, or as a field
    /// of the step itself, under its exact name, is put into `params`, and a body written inside `params` is taken
    /// out of it (models often mix the two up).
    private mutating func placeParameters(_ step: JSONObject, at pointer: String) -> JSONObject {
        guard step["kind"]?.stringValue == "call", let catalog,
            let connector = step["connector"]?.stringValue.flatMap({ catalog[$0] }),
            let operation = step["operation"]?.stringValue.flatMap({ connector.operation($0) })
        else { return step }
        var result = step
        var params = step["params"]?.objectValue ?? JSONObject()
        let bodyFields = step["body"]?.objectValue
        for parameter in operation.parameters where parameter.required && params[parameter.name] == nil {
            if let value = bodyFields?[parameter.name] {
                params[parameter.name] = value
                repairs.append("\(pointer)/params/\(parameter.name): copied from the body (it is a \(parameter.location.rawValue) parameter)")
            } else if let value = step[parameter.name], !StepFields.allowed(for: .call).contains(parameter.name) {
                params[parameter.name] = value
                result[parameter.name] = nil
                repairs.append("\(pointer)/\(parameter.name) → \(pointer)/params/\(parameter.name)")
            }
        }
        // The body written inside `params`, when the operation takes a body and has no parameter of that name.
        if case .object(let body)? = params["body"], operation.requestBody != nil, operation.parameter("body") == nil,
            step["body"] == nil
        {
            params["body"] = nil
            result["body"] = .object(body)
            repairs.append("\(pointer)/params/body → \(pointer)/body")
        }
        if !params.isEmpty || step["params"] != nil { result["params"] = .object(params) }
        return result
    }

    /// A condition or item list is an expression already, so `${...}` inside it (not around all of it) is
    /// unwrapped: `length(${find.items}) == 0` becomes `length(find.items) == 0`. A wrapped part that is more
    /// than a path or a call keeps its meaning in parentheses.
    private mutating func unwrapInnerTemplates(_ text: String, at pointer: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("${") else { return text }
        if trimmed.hasPrefix("${"), trimmed.hasSuffix("}"), trimmed.dropFirst(2).firstIndex(of: "$") == nil,
            trimmed.filter({ $0 == "}" }).count == 1
        {
            return text
        }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return text }
            let inner = rest[open.upperBound..<close].trimmingCharacters(in: .whitespaces)
            let simple = inner.allSatisfy { $0.isLetter || $0.isNumber || "_.[]()'\",".contains($0) }
            result += rest[..<open.lowerBound] + (simple ? inner : "(\(inner))")
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        repairs.append("\(pointer): removed ${...} inside an expression")
        return result
    }

    /// The words `and`, `or`, `not`, `is` and `is not` of an expression, outside its quoted text, as the operators
    /// `&&`, `||`, `!`, `==` and `!=`: models write Python's and SQL's (`a.errorRate > 0.5 or a.latencyMs > 1000`,
    /// `x is not null`), and no name can be one of those words. A percentage (`errorRate > 5%`) is the number it
    /// stands for (`0.05`): `%` after a number never parses.
    private mutating func spellOperators(_ text: String, at pointer: String) -> String {
        var result = ""
        var changed: [String] = []
        var rest = text[...]
        while !rest.isEmpty {
            // Unquoted text up to the next quote, then the quoted text as it is.
            let quote = rest.firstIndex { $0 == "'" || $0 == "\"" } ?? rest.endIndex
            var plain = String(rest[..<quote])
            for (pattern, symbol) in Self.wordOperators {
                let regex = "(?<![A-Za-z0-9_.])\(pattern)(?![A-Za-z0-9_])"
                guard let found = plain.range(of: regex, options: .regularExpression) else { continue }
                changed.append("\"\(plain[found])\" → \"\(symbol)\"")
                plain = plain.replacingOccurrences(of: regex, with: symbol, options: .regularExpression)
            }
            while let found = plain.range(of: #"(?<![A-Za-z0-9_.])[0-9]+(\.[0-9]+)?%"#, options: .regularExpression),
                let percent = Double(plain[found].dropLast())
            {
                let value = JSONValue.number(percent / 100).jsonText
                changed.append("\"\(plain[found])\" → \(value)")
                plain.replaceSubrange(found, with: value)
            }
            result += plain
            guard quote < rest.endIndex else { break }
            let close = rest[rest.index(after: quote)...].firstIndex(of: rest[quote]).map { rest.index(after: $0) } ?? rest.endIndex
            result += rest[quote..<close]
            rest = rest[close...]
        }
        guard !changed.isEmpty else { return text }
        repairs.append("\(pointer): \(changed.joined(separator: ", "))")
        return result
    }

    /// Operator words, the longest first, as patterns and the operators they stand for.
    private static let wordOperators = [
        ("(is not|IS NOT)", "!="), ("(is|IS)", "=="), ("(and|AND)", "&&"), ("(or|OR)", "||"), ("(not|NOT)", "!"),
    ]

    /// Renames keys that differ from a known field only in case, or are a known synonym of one that is absent.
    private mutating func renameKeys(_ object: JSONObject, known: [String], synonyms: [String: String], at pointer: String) -> JSONObject {
        let byFolded = Dictionary(known.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var result = JSONObject()
        for (key, value) in object {
            var target = key
            if !known.contains(key) {
                if let exact = byFolded[key.lowercased()], object[exact] == nil {
                    target = exact
                } else if let synonym = synonyms[key.lowercased()] ?? synonyms[key], object[synonym] == nil, known.contains(synonym) {
                    target = synonym
                }
            }
            if target != key { repairs.append("\(pointer)/\(key) → \(pointer)/\(target)") }
            result[target] = value
        }
        return result
    }

    private mutating func coerceNumber(_ object: JSONObject, _ key: String, at pointer: String) -> JSONObject {
        guard case .string(let text)? = object[key], let n = Double(text.trimming(" ")) else { return object }
        var result = object
        result[key] = .number(n)
        repairs.append("\(pointer)/\(key): \"\(text)\" → \(n.jsonText)")
        return result
    }

    private mutating func coerceBool(_ object: JSONObject, _ key: String, at pointer: String) -> JSONObject {
        guard case .string(let text)? = object[key], ["true", "false"].contains(text.lowercased()) else { return object }
        var result = object
        result[key] = .bool(text.lowercased() == "true")
        repairs.append("\(pointer)/\(key): \"\(text)\" → \(text.lowercased())")
        return result
    }

    /// A number of seconds, or an ISO 8601 duration such as `PT5M`, becomes Baton's duration text.
    private mutating func repairDuration(_ value: JSONValue, at pointer: String) -> JSONValue {
        switch value {
        case .number(let n) where n > 0 && n.isWhole:
            repairs.append("\(pointer): \(n.jsonText) → \"\(n.jsonText)s\" (seconds)")
            return .string("\(n.jsonText)s")
        case .string(let text) where WorkflowDuration(text) == nil:
            let compact = text.lowercased().replacingOccurrences(of: " ", with: "")
            var converted: String?
            if compact.hasPrefix("pt") || compact.hasPrefix("p") {
                let iso = compact.replacingOccurrences(of: "pt", with: "").replacingOccurrences(of: "p", with: "")
                converted = iso.isEmpty ? nil : iso
            } else if let n = Int(compact), n > 0 {
                converted = "\(n)s"
            } else {
                for (long, short) in [("milliseconds", "ms"), ("millisecond", "ms"), ("seconds", "s"), ("second", "s"), ("secs", "s"),
                                      ("sec", "s"), ("minutes", "m"), ("minute", "m"), ("mins", "m"), ("min", "m"), ("hours", "h"),
                                      ("hour", "h"), ("hrs", "h"), ("days", "d"), ("day", "d")] where compact.hasSuffix(long) {
                    converted = String(compact.dropLast(long.count)) + short
                    break
                }
            }
            guard let converted, WorkflowDuration(converted) != nil else { return value }
            repairs.append("\(pointer): \"\(text)\" → \"\(converted)\"")
            return .string(converted)
        default:
            return value
        }
    }
}

extension String {
    fileprivate func trimming(_ set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

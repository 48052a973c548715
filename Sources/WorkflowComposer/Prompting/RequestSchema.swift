import WorkflowModel

/// The JSON Schema sent as structured output for one request: the general document schema with a call step's
/// `connector` and `operation` limited to the operations retrieval chose, so that an invented one cannot be
/// produced at all. Kept as flat as the general schema (grammar engines such as llama.cpp's handle little more);
/// `prompts/workflow.schema.json` stays the published contract.
///
/// Grammar engines take less than JSON Schema says: llama.cpp's converter (as llama-cpp-python ships it) rejects
/// a schema that is only a description and a `false` schema, turns `maxItems: 1000` into a thousand copies of a
/// rule, and ignores `if`/`then`; a schema it rejects is silently replaced by "any JSON". So the schema sent keeps
/// only what such an engine enforces (types, properties, required fields, enums, constants, patterns); the
/// validator checks the rest, as it does every answer.
enum RequestSchema {
    static func specialised(_ general: JSONValue, grounding: Grounding, allowRefusal: Bool, parameters: Bool = true) -> JSONValue {
        guard case .object(var root) = grammarFriendly(general), case .object(var defs)? = root["$defs"], case .object(var step)? = defs["step"],
            case .object(var properties)? = step["properties"]
        else { return general }
        let connectors = unique(grounding.operations.map(\.connector))
        let operations = unique(grounding.operations.map(\.operation))
        if !connectors.isEmpty {
            properties["connector"] = .object(JSONObject([("enum", .array(connectors.map { .string($0) }))]))
            properties["operation"] = .object(JSONObject([("enum", .array(operations.map { .string($0) }))]))
        }
        step["properties"] = .object(ordered(properties, stepOrder))
        defs["step"] = .object(step)
        let calls = !parameters ? [] : grounding.operations.compactMap { match in
            grounding.catalog[match.connector]?.operation(match.operation).map { callVariant(step, match.connector, $0) }
        }
        if !calls.isEmpty { defs["step"] = .object(JSONObject([("anyOf", .array(calls + [otherKinds(step)]))])) }
        // Grammar engines write required properties first, then the others in the order listed: the order the
        // prompt's examples use, with a description, trigger and inputs always written first and the steps last.
        // Last, because a small model often closes a step with one brace too many and then means to go on: with
        // nothing allowed after the list but the end of the document, the grammar leaves it the next step, where
        // it would otherwise close the list and write the rest under `onError`. The validator still requires steps.
        // No description: the composer writes the request there (`Composer.described`), and a small model spends
        // an eighth of its answer copying it.
        if case .object(var top)? = root["properties"] {
            top["description"] = nil
            root["properties"] = .object(ordered(top, documentOrder))
            root["required"] = .array(["format", "name", "trigger", "inputs"])
        }
        guard allowRefusal else {
            root["$defs"] = .object(defs)
            return .object(root)
        }
        // Either a workflow or the missing-connector answer; the definitions stay at the root for `$ref`s.
        var workflow = root
        for key in ["$schema", "$id", "$defs"] { workflow[key] = nil }
        return .object(JSONObject([
            ("$defs", .object(defs)),
            ("anyOf", .array([.object(workflow), refusal])),
        ]))
    }

    /// A call of one operation: its connector and operation fixed, its parameters by name (the required ones
    /// required, no others), its body's top-level fields with their required ones required, and no body where it
    /// takes none. So a grammar engine cannot write a parameter the operation lacks, or leave out one it needs.
    /// Every value may also be a string, for `${...}` expressions. It has only the fields a call may have: a small
    /// model otherwise nests the next steps inside a call (`"steps": [...]` under a `compensate`).
    static func callVariant(_ step: JSONObject, _ connector: String, _ operation: ConnectorOperation) -> JSONValue {
        var variant = step
        let fields = Set(StepFields.allowed(for: .call))
        var properties = JSONObject((step["properties"]?.objectValue ?? JSONObject()).filter { fields.contains($0.key) }.map { ($0.key, $0.value) })
        properties["kind"] = .object(JSONObject([("const", "call")]))
        properties["connector"] = .object(JSONObject([("const", .string(connector))]))
        properties["operation"] = .object(JSONObject([("const", .string(operation.id))]))
        var required: [JSONValue] = ["id", "kind", "connector", "operation"]
        let parameters = operation.parameters.filter { $0.location != .header }
        if parameters.isEmpty {
            properties["params"] = nil
        } else {
            let needed = parameters.filter { $0.required || $0.location == .path }.map { JSONValue.string($0.name) }
            properties["params"] = .object(JSONObject([
                ("type", "object"), ("additionalProperties", false), ("required", .array(needed)),
                ("properties", .object(JSONObject(parameters.map { ($0.name, value($0.type.rawValue)) }))),
            ]))
            if !needed.isEmpty { required.append("params") }
        }
        if let body = operation.requestBody {
            let fields = BodyFields.topLevel(of: body.shape)
            if !fields.isEmpty {
                properties["body"] = .object(JSONObject([
                    ("type", "object"), ("additionalProperties", false),
                    ("required", .array(fields.filter(\.required).map { .string($0.name) })),
                    ("properties", .object(JSONObject(fields.map { ($0.name, value($0.type)) }))),
                ]))
            }
            if body.required { required.append("body") }
        } else {
            properties["body"] = nil
        }
        variant["properties"] = .object(ordered(properties, stepOrder))
        variant["required"] = .array(required)
        return .object(variant)
    }

    /// The schema of a value of a catalog type (as the listing writes it), or a string for an expression.
    static func value(_ type: String) -> JSONValue {
        let json: String? = switch type.first {
        case "[": "array"
        case "{": "object"
        case "\"": nil
        default: ["integer", "number"].contains(type) ? "number" : type == "boolean" ? "boolean" : nil
        }
        guard let json else { return .object(JSONObject([("type", "string")])) }
        return .object(JSONObject([("anyOf", .array([
            .object(JSONObject([("type", .string(json))])), .object(JSONObject([("type", "string")])),
        ]))]))
    }

    /// Every kind of step but a call.
    static func otherKinds(_ step: JSONObject) -> JSONValue {
        var variant = step
        var properties = step["properties"]?.objectValue ?? JSONObject()
        for name in ["connector", "operation", "params", "body"] { properties[name] = nil }
        let kinds = properties["kind"]?["enum"]?.arrayValue?.filter { $0 != "call" } ?? []
        properties["kind"] = .object(JSONObject([("enum", .array(kinds))]))
        variant["properties"] = .object(properties)
        return .object(variant)
    }

    /// The schema of one step, for a repair round that asks for a step only: the document schema's step
    /// definition at the root, its definitions beside it for the nested steps' `$ref`s.
    static func step(of documentSchema: JSONValue) -> JSONValue? {
        guard case .object(let defs)? = documentSchema["$defs"], case .object(var step)? = defs["step"] else { return nil }
        step["$defs"] = .object(defs)
        return .object(step)
    }

    /// The schema of one call step (the call variants of `step(of:)`, without the other kinds), for a round that
    /// asks for a step calling one of a few operations: `documentSchema` specialised to those.
    static func callStep(of documentSchema: JSONValue) -> JSONValue? {
        guard case .object(var step)? = step(of: documentSchema), case .array(let variants)? = step["anyOf"], variants.count > 1 else {
            return step(of: documentSchema)
        }
        step["anyOf"] = .array(Array(variants.dropLast()))
        return .object(step)
    }

    static let refusal: JSONValue = .object(JSONObject([
        ("type", "object"),
        ("additionalProperties", false),
        ("required", .array(["error", "missing", "message"])),
        ("properties", .object(JSONObject([
            ("error", .object(JSONObject([("const", "missing-connector")]))),
            ("missing", .object(JSONObject([("type", "array"), ("minItems", 1), ("items", .object(JSONObject([("type", "string")])))]))),
            ("message", .object(JSONObject([("type", "string")]))),
        ]))),
    ]))

    static let documentOrder = ["format", "name", "description", "trigger", "inputs", "onError", "timeout", "steps"]
    /// A call names its operation before its connector: a small model knows the operation it means
    /// (`createPurchaseRequest`) better than the connector that holds it (it may reach for the path's
    /// `purchase-requests`), and with the operation written the grammar leaves only its connector.
    static let stepOrder = [
        "id", "kind", "operation", "connector", "params", "body", "output", "if", "then", "else", "cases", "default", "branches",
        "failFast", "items", "as", "concurrency", "steps", "for", "duration", "until", "timeout", "error", "message", "approvers",
        "onTimeout", "retry", "compensate", "onError", "name", "description",
    ]

    /// `document` with its members, and every step's, in the order the schema sent has a grammar engine write them.
    static func inWritingOrder(_ document: JSONValue) -> JSONValue {
        func walk(_ value: JSONValue, _ order: [String]) -> JSONValue {
            switch value {
            case .object(let members):
                let sorted = ordered(members, members["kind"] != nil ? stepOrder : order)
                return .object(JSONObject(sorted.map { ($0.key, walk($0.value, [])) }))
            case .array(let items):
                return .array(items.map { walk($0, []) })
            default:
                return value
            }
        }
        return walk(document, documentOrder)
    }

    /// `object`'s members with those named in `order` first, in that order.
    static func ordered(_ object: JSONObject, _ order: [String]) -> JSONObject {
        var result = JSONObject()
        for key in order { if let value = object[key] { result[key] = value } }
        for (key, value) in object where result[key] == nil { result[key] = value }
        return result
    }

    /// Keywords a grammar engine cannot enforce cheaply, or at all, removed wherever a schema stands.
    static let droppedKeywords: Set<String> = [
        "description", "title", "$schema", "$id", "maxItems", "maxLength", "minLength", "maximum", "minimum", "allOf", "if",
        "then", "else", "not", "default", "examples",
    ]

    /// `schema` without what `droppedKeywords` names and without properties whose schema is `false`.
    static func grammarFriendly(_ schema: JSONValue) -> JSONValue {
        guard case .object(let object) = schema else { return schema }
        var result = JSONObject()
        for (key, value) in object where !droppedKeywords.contains(key) {
            switch key {
            case "properties", "$defs":
                var members = JSONObject()
                for (name, member) in value.objectValue ?? JSONObject() where member != .bool(false) {
                    members[name] = grammarFriendly(member)
                }
                result[key] = .object(members)
            case "items", "additionalProperties":
                result[key] = grammarFriendly(value)
            case "anyOf", "oneOf":
                result[key] = .array((value.arrayValue ?? []).map(grammarFriendly))
            default:
                result[key] = value
            }
        }
        return .object(result)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}

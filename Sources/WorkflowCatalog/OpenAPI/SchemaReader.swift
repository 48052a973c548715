import OpenAPIKit
import WorkflowModel

/// Reads what the catalog needs from JSON Schemas: a value type, allowed values, required properties, and a compact
/// shape such as `{name*: string, tags: [string], address: {city: string, geo: {...}}}` for a language model.
struct SchemaReader {
    let components: OpenAPI.Components

    /// Objects are spelled out this many levels deep (arrays do not count); deeper ones are written `{...}`.
    private static let shapeDepth = 2
    private static let maxProperties = (top: 24, nested: 12)
    private static let maxChoices = 10

    /// `schema` after following `$ref`s to the components.
    func resolved(_ schema: JSONSchema) throws(OpenAPIImportError) -> JSONSchema {
        var current = schema
        var hops = 0
        while case .reference(let reference, _) = current.value {
            hops += 1
            guard hops <= 32 else {
                throw OpenAPIImportError(message: "the reference \(reference.absoluteString) only leads to references")
            }
            do {
                current = try components.lookupOnce(current)
            } catch {
                throw OpenAPIImportError(message: "the reference \(reference.absoluteString) cannot be resolved")
            }
        }
        return current
    }

    func valueType(_ schema: JSONSchema) throws(OpenAPIImportError) -> ValueType {
        let schema = try resolved(schema)
        switch schema.value {
        case .string: return .string
        case .integer: return .integer
        case .number: return .number
        case .boolean: return .boolean
        case .object: return .object
        case .array: return .array
        case .all(let parts, _):
            for part in parts { if case let type = try valueType(part), type != .any { return type } }
            return .any
        case .one(let parts, _), .any(let parts, _):
            var types: Set<ValueType> = []
            for part in parts where !(try resolved(part).isNull) { types.insert(try valueType(part)) }
            if types.count == 1, let type = types.first { return type }
            return types == [.integer, .number] ? .number : .any
        case .fragment:
            let values = try allowedValues(schema) ?? []
            let types = Set(values.filter { !$0.isNull }.map(\.valueType))
            if types.count == 1, let type = types.first { return type }
            return types == [.integer, .number] ? .number : .any
        case .null, .not, .reference: return .any
        }
    }

    func allowedValues(_ schema: JSONSchema) throws(OpenAPIImportError) -> [JSONValue]? {
        try resolved(schema).allowedValues?.map { JSONValue(anyCodable: $0) }
    }

    /// The properties an object body must have (for `allOf`, those of every part).
    func requiredProperties(_ schema: JSONSchema) throws(OpenAPIImportError) -> [String] {
        let schema = try resolved(schema)
        switch schema.value {
        case .object(_, let object): return object.requiredProperties
        case .all(let parts, _):
            var names: [String] = []
            for part in parts {
                for name in try requiredProperties(part) where !names.contains(name) { names.append(name) }
            }
            return names
        default: return []
        }
    }

    /// The compact shape of `schema`; `markRequired` puts `*` after required property names.
    func shape(_ schema: JSONSchema, markRequired: Bool) throws(OpenAPIImportError) -> String {
        try shape(schema, depth: 0, markRequired: markRequired)
    }

    private func shape(_ original: JSONSchema, depth: Int, markRequired: Bool) throws(OpenAPIImportError) -> String {
        let schema = try resolved(original)
        let text: String
        switch schema.value {
        case .string, .integer, .number, .boolean, .fragment:
            if let values = try allowedValues(schema), !values.isEmpty {
                let shown = values.prefix(Self.maxChoices).map(\.jsonText)
                text = (shown + (values.count > Self.maxChoices ? ["..."] : [])).joined(separator: "|")
                if values.contains(.null) { return text }
            } else {
                text = try valueType(schema).rawValue
            }
        case .null: return "null"
        case .array(_, let array):
            let items = try array.items.map { item throws(OpenAPIImportError) in
                try shape(item, depth: depth, markRequired: markRequired)
            }
            text = "[" + (items ?? "any") + "]"
        case .object(_, let object):
            text = try objectShape(object, depth: depth, markRequired: markRequired)
        case .all(let parts, _):
            text = try allOfShape(parts, depth: depth, markRequired: markRequired)
        case .one(let parts, _), .any(let parts, _):
            var choices: [String] = []
            for part in parts.prefix(Self.maxChoices) {
                let choice = try shape(part, depth: depth, markRequired: markRequired)
                if !choices.contains(choice) { choices.append(choice) }
            }
            return (choices + (parts.count > Self.maxChoices ? ["..."] : [])).joined(separator: " | ")
        case .not, .reference: return "any"
        }
        return schema.nullable || original.nullable ? text + "|null" : text
    }

    private func objectShape(
        _ object: JSONSchema.ObjectContext, depth: Int, markRequired: Bool
    ) throws(OpenAPIImportError) -> String {
        let more: Bool
        switch object.additionalProperties {
        case .a(let allowed): more = allowed
        case .b: more = true
        case nil: more = false
        }
        if object.properties.isEmpty {
            guard case .b(let values) = object.additionalProperties else { return "object" }
            guard depth < Self.shapeDepth else { return "{...}" }
            return "{[key: string]: " + (try shape(values, depth: depth + 1, markRequired: markRequired)) + "}"
        }
        guard depth < Self.shapeDepth else { return "{...}" }
        let required = Set(object.requiredProperties)
        let limit = depth == 0 ? Self.maxProperties.top : Self.maxProperties.nested
        var members: [String] = []
        for (name, value) in object.properties.prefix(limit) {
            let mark = markRequired && required.contains(name) ? "*" : ""
            members.append("\(name)\(mark): " + (try shape(value, depth: depth + 1, markRequired: markRequired)))
        }
        if object.properties.count > limit || more { members.append("...") }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// An `allOf` of objects reads as one object with the properties of all parts.
    private func allOfShape(
        _ parts: [JSONSchema], depth: Int, markRequired: Bool
    ) throws(OpenAPIImportError) -> String {
        var properties = OrderedDictionary<String, JSONSchema>()
        var required: [String] = []
        var additional: Either<Bool, JSONSchema>?
        var others: [String] = []
        for part in parts {
            let part = try resolved(part)
            switch part.value {
            case .object(_, let object):
                for (name, value) in object.properties { properties[name] = value }
                required += object.requiredProperties
                additional = object.additionalProperties ?? additional
            case .fragment: continue
            default: others.append(try shape(part, depth: depth, markRequired: markRequired))
            }
        }
        guard others.isEmpty else { return others.joined(separator: " & ") }
        let requiredNames = Set(required)
        var merged = OrderedDictionary<String, JSONSchema>()
        for (name, value) in properties {
            merged[name] = requiredNames.contains(name) ? value.requiredSchemaObject() : value.optionalSchemaObject()
        }
        let object = JSONSchema.ObjectContext(properties: merged, additionalProperties: additional)
        return try objectShape(object, depth: depth, markRequired: markRequired)
    }
}

extension JSONSchema {
    fileprivate var isNull: Bool { if case .null = value { true } else { false } }
}

extension JSONValue {
    /// The type a value declares itself to be, for schemas that only list allowed values.
    fileprivate var valueType: ValueType {
        switch self {
        case .null: .any
        case .bool: .boolean
        case .number(let n): n.rounded() == n ? .integer : .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }
}

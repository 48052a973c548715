import Foundation
import WorkflowModel

/// An input a run cannot start with, named with what is wrong.
public struct RunInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

/// Checks a run's inputs against the workflow's declared ones and fills in defaults.
public enum RunInputs {
    public static func resolve(_ given: JSONObject, declared: [InputParameter]) throws(RunInputError) -> JSONValue {
        var problems: [String] = []
        let names = Set(declared.map(\.name))
        for key in given.keys where !names.contains(key) {
            let known = declared.isEmpty ? "the workflow declares no inputs" : "declared: \(declared.map(\.name).joined(separator: ", "))"
            problems.append("input \"\(key)\" is not declared (\(known))")
        }
        var resolved = JSONObject()
        for parameter in declared {
            if let value = given[parameter.name], value != .null {
                if parameter.type.accepts(value) {
                    resolved[parameter.name] = value
                } else {
                    problems.append("input \"\(parameter.name)\" must be \(article(parameter.type)) \(parameter.type.rawValue), not \(value.typeName) \(value.jsonText)")
                }
            } else if let value = parameter.defaultValue {
                resolved[parameter.name] = value
            } else if parameter.required {
                problems.append("input \"\(parameter.name)\" (\(parameter.type.rawValue)) is required" + (parameter.description.map { ": \($0)" } ?? ""))
            }
        }
        guard problems.isEmpty else { throw RunInputError(problems: problems) }
        return .object(resolved)
    }

    /// Reads `text` given on a command line as a value of the input's type: `3` as a number, `true` as a boolean,
    /// JSON for objects and lists; anything else stays a string.
    public static func value(of text: String, for parameter: InputParameter?) -> JSONValue {
        switch parameter?.type {
        case .string: return .string(text)
        case .number, .integer: return Double(text).map(JSONValue.number) ?? .string(text)
        case .boolean: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
        case .object, .array, .any, nil: return (try? JSONParser.parse(text)) ?? .string(text)
        }
    }

    private static func article(_ type: ValueType) -> String {
        type == .integer || type == .object || type == .array || type == .any ? "an" : "a"
    }
}

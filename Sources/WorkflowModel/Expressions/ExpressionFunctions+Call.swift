import Foundation

extension ExpressionFunctions {
    /// Calls the function `name` with evaluated arguments; the parser has already checked the name and arity.
    static func call(_ name: String, _ args: [JSONValue], now: Date) throws(ExpressionEvaluationError) -> JSONValue {
        func string(_ i: Int) throws(ExpressionEvaluationError) -> String {
            guard case .string(let s) = args[i] else {
                throw ExpressionEvaluationError("\(name)() expects a string as argument \(i + 1), not \(args[i].typeName)")
            }
            return s
        }
        switch name {
        case "length":
            switch args[0] {
            case .array(let a): return .number(Double(a.count))
            case .object(let o): return .number(Double(o.count))
            case .string(let s): return .number(Double(s.count))
            case .null: return .number(0)
            default: throw ExpressionEvaluationError("length() expects a list, an object or a string, not \(args[0].typeName)")
            }
        case "lower": return .string(try string(0).lowercased())
        case "upper": return .string(try string(0).uppercased())
        case "trim": return .string(String(try string(0).trimmingWhitespace()))
        case "contains":
            switch args[0] {
            case .null: return .bool(false)
            case .array, .string, .object: return try ExpressionOperators.apply(.in, args[1], args[0])
            default: throw ExpressionEvaluationError("contains() expects a list, a string or an object, not \(args[0].typeName)")
            }
        case "startsWith": return .bool(try string(0).hasPrefix(try string(1)))
        case "default": return args[0].isNull ? args[1] : args[0]
        case "coalesce": return args.first { !$0.isNull } ?? .null
        case "now": return .string(ISO8601Text.format(now))
        case "formatDate":
            guard let date = ISO8601Text.parse(try string(0)) else {
                throw ExpressionEvaluationError("formatDate() cannot read \(args[0].jsonText) as an ISO 8601 date")
            }
            return .string(ISO8601Text.format(date, pattern: try string(1)))
        case "toNumber":
            switch args[0] {
            case .number: return args[0]
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                guard let n = Double(s.trimmingWhitespace()) else { throw ExpressionEvaluationError("toNumber() cannot read \(s.jsonQuoted) as a number") }
                return .number(n)
            default: throw ExpressionEvaluationError("toNumber() cannot convert a \(args[0].typeName)")
            }
        case "toString": return .string(args[0].interpolatedText)
        case "join":
            guard case .array(let items) = args[0] else { throw ExpressionEvaluationError("join() expects a list, not \(args[0].typeName)") }
            let separator = args.count > 1 ? try string(1) : ","
            return .string(items.map(\.interpolatedText).joined(separator: separator))
        case "keys":
            guard case .object(let o) = args[0] else { throw ExpressionEvaluationError("keys() expects an object, not \(args[0].typeName)") }
            return .array(o.keys.map(JSONValue.string))
        default:
            throw ExpressionEvaluationError("unknown function \(name)()")
        }
    }
}

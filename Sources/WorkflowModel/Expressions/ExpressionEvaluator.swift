import Foundation

/// Why an expression could not be evaluated: a type mismatch, a division by zero, a bad argument.
public struct ExpressionEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The names an expression can read: `input`, `run`, step ids, loop variables, `error`.
public protocol ExpressionScope {
    /// The value bound to `name`, or `nil` when nothing is (which reads as `null`).
    func value(of name: String) -> JSONValue?
    /// The current time, for `now()`.
    var now: Date { get }
}

/// Evaluates expressions and templates against a scope, following the rules in the document format:
/// a missing path is `null`; incompatible operands are an error.
public struct ExpressionEvaluator<Scope: ExpressionScope> {
    public let scope: Scope

    public init(scope: Scope) { self.scope = scope }

    /// The value of `expression`.
    public func evaluate(_ expression: Expression) throws(ExpressionEvaluationError) -> JSONValue {
        switch expression {
        case .literal(let value):
            return value
        case .list(let items):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .path(let path):
            return try resolve(path)
        case .unary(.not, let operand):
            return .bool(!(try evaluate(operand)).isTruthy)
        case .unary(.negate, let operand):
            let value = try evaluate(operand)
            guard case .number(let n) = value else { throw mismatch("-", value) }
            return .number(-n)
        case .binary(.and, let lhs, let rhs):
            guard try evaluate(lhs).isTruthy else { return .bool(false) }
            return .bool(try evaluate(rhs).isTruthy)
        case .binary(.or, let lhs, let rhs):
            if try evaluate(lhs).isTruthy { return .bool(true) }
            return .bool(try evaluate(rhs).isTruthy)
        case .binary(let op, let lhs, let rhs):
            return try ExpressionOperators.apply(op, try evaluate(lhs), try evaluate(rhs))
        case .conditional(let test, let then, let otherwise):
            if try evaluate(test).isTruthy { return try evaluate(then) }
            return try evaluate(otherwise)
        case .call(let call):
            var arguments: [JSONValue] = []
            for argument in call.arguments { arguments.append(try evaluate(argument)) }
            return try ExpressionFunctions.call(call.name, arguments, now: scope.now)
        }
    }

    /// The value of `template`, with every expression in it evaluated.
    public func render(_ template: Template) throws(ExpressionEvaluationError) -> JSONValue {
        switch template {
        case .literal(let value):
            return value
        case .expression(let expression):
            return try evaluate(expression)
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let t): text += t
                case .expression(let e): text += try evaluate(e).interpolatedText
                }
            }
            return .string(text)
        case .array(let items):
            var values: [JSONValue] = []
            for item in items { values.append(try render(item)) }
            return .array(values)
        case .object(let members):
            var object = JSONObject()
            for member in members { object[member.key] = try render(member.value) }
            return .object(object)
        }
    }

    private func resolve(_ path: Expression.Path) throws(ExpressionEvaluationError) -> JSONValue {
        var value = scope.value(of: path.root) ?? .null
        for component in path.components {
            switch component {
            case .key(let key):
                value = try member(key, of: value, path: path)
            case .index(let i):
                value = try element(i, of: value, path: path)
            case .computed(let inner):
                switch try evaluate(inner) {
                case .string(let key): value = try member(key, of: value, path: path)
                case .number(let n) where n.rounded() == n && abs(n) < 1e15: value = try element(Int(n), of: value, path: path)
                case let other: throw ExpressionEvaluationError("an index must be a string or an integer, not \(other.typeName)")
                }
            }
        }
        return value
    }

    private func member(_ key: String, of value: JSONValue, path: Expression.Path) throws(ExpressionEvaluationError) -> JSONValue {
        switch value {
        case .null: return .null
        case .object(let object): return object[key] ?? .null
        default: throw ExpressionEvaluationError("\(path.root): cannot read \".\(key)\" of a \(value.typeName)")
        }
    }

    private func element(_ i: Int, of value: JSONValue, path: Expression.Path) throws(ExpressionEvaluationError) -> JSONValue {
        switch value {
        case .null: return .null
        case .array(let items):
            let position = i < 0 ? items.count + i : i
            return items.indices.contains(position) ? items[position] : .null
        default: throw ExpressionEvaluationError("\(path.root): cannot index a \(value.typeName) with [\(i)]")
        }
    }

    private func mismatch(_ op: String, _ value: JSONValue) -> ExpressionEvaluationError {
        ExpressionEvaluationError("'\(op)' cannot be applied to a \(value.typeName)")
    }
}

extension JSONValue {
    /// Whether the value counts as true in a condition: everything but `null`, `false`, `0` and `""`.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .number(let n): n != 0
        case .string(let s): !s.isEmpty
        case .array, .object: true
        }
    }

    /// The text of the value inside a longer string: strings as they are, `null` as empty, others as JSON.
    public var interpolatedText: String {
        switch self {
        case .null: ""
        case .string(let s): s
        default: jsonText
        }
    }
}

/// The binary operators of the expression language, applied to evaluated operands.
enum ExpressionOperators {
    static func apply(_ op: Expression.BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue) throws(ExpressionEvaluationError) -> JSONValue {
        switch op {
        case .equal: return .bool(lhs == rhs)
        case .notEqual: return .bool(lhs != rhs)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order = try compare(lhs, rhs, op)
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .in:
            switch rhs {
            case .array(let items): return .bool(items.contains(lhs))
            case .string(let text):
                guard case .string(let needle) = lhs else { throw mismatch(op, lhs, rhs) }
                return .bool(text.contains(needle))
            case .object(let object):
                guard case .string(let key) = lhs else { throw mismatch(op, lhs, rhs) }
                return .bool(object[key] != nil)
            case .null: return .bool(false)
            default: throw mismatch(op, lhs, rhs)
            }
        case .add:
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): return .number(a + b)
            case (.string, _), (_, .string): return .string(lhs.interpolatedText + rhs.interpolatedText)
            case (.array(let a), .array(let b)): return .array(a + b)
            default: throw mismatch(op, lhs, rhs)
            }
        case .subtract, .multiply, .divide, .remainder:
            guard case .number(let a) = lhs, case .number(let b) = rhs else { throw mismatch(op, lhs, rhs) }
            switch op {
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide:
                guard b != 0 else { throw ExpressionEvaluationError("division by zero") }
                return .number(a / b)
            default:
                guard b != 0 else { throw ExpressionEvaluationError("remainder of a division by zero") }
                return .number(a.truncatingRemainder(dividingBy: b))
            }
        case .and, .or:
            return .bool(op == .and ? lhs.isTruthy && rhs.isTruthy : lhs.isTruthy || rhs.isTruthy)
        }
    }

    private static func compare(_ lhs: JSONValue, _ rhs: JSONValue, _ op: Expression.BinaryOperator) throws(ExpressionEvaluationError) -> Int {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.string(let a), .string(let b)): return a < b ? -1 : a > b ? 1 : 0
        default: throw mismatch(op, lhs, rhs)
        }
    }

    private static func mismatch(_ op: Expression.BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue) -> ExpressionEvaluationError {
        ExpressionEvaluationError("'\(op.rawValue)' cannot be applied to a \(lhs.typeName) and a \(rhs.typeName)")
    }
}

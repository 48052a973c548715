/// A parsed expression of the small language used in conditions, loops and `${...}` mappings.
public indirect enum Expression: Sendable, Hashable {
    case literal(JSONValue)
    case list([Expression])
    case path(Path)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case conditional(Expression, then: Expression, else: Expression)
    case call(FunctionCall)

    /// A name followed by member and index accessors: `decode_vin.Results[0].Make`.
    public struct Path: Sendable, Hashable {
        public var root: String
        public var components: [Component]
        /// Where the path starts in the expression text, counted from 1.
        public var column: Int

        public init(root: String, components: [Component], column: Int) {
            self.root = root
            self.components = components
            self.column = column
        }

        public enum Component: Sendable, Hashable {
            case key(String)
            case index(Int)
            case computed(Expression)
        }

        /// The first component when it is a plain key, as in `input.NAME`.
        public var firstKey: String? {
            if case .key(let key) = components.first { key } else { nil }
        }
    }

    public struct FunctionCall: Sendable, Hashable {
        public var name: String
        public var arguments: [Expression]
        public var column: Int
    }

    public enum UnaryOperator: String, Sendable, Hashable { case not = "!", negate = "-" }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case or = "||", and = "&&"
        case equal = "==", notEqual = "!="
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", `in` = "in"
        case add = "+", subtract = "-"
        case multiply = "*", divide = "/", remainder = "%"

        /// Binding strength: a higher number binds tighter.
        var precedence: Int {
            switch self {
            case .or: 1
            case .and: 2
            case .equal, .notEqual: 3
            case .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 4
            case .add, .subtract: 5
            case .multiply, .divide, .remainder: 6
            }
        }
    }

    /// Every path in the expression, in order of appearance, including those inside computed indexes.
    public var paths: [Path] {
        var found: [Path] = []
        visit { if case .path(let path) = $0 { found.append(path) } }
        return found
    }

    /// Every function call in the expression, in order of appearance.
    public var calls: [FunctionCall] {
        var found: [FunctionCall] = []
        visit { if case .call(let call) = $0 { found.append(call) } }
        return found
    }

    private func visit(_ body: (Expression) -> Void) {
        body(self)
        switch self {
        case .literal: break
        case .list(let items): items.forEach { $0.visit(body) }
        case .path(let path):
            for case .computed(let inner) in path.components { inner.visit(body) }
        case .unary(_, let operand): operand.visit(body)
        case .binary(_, let lhs, let rhs): lhs.visit(body); rhs.visit(body)
        case .conditional(let test, let then, let otherwise): test.visit(body); then.visit(body); otherwise.visit(body)
        case .call(let call): call.arguments.forEach { $0.visit(body) }
        }
    }
}

/// Why an expression does not parse, and the column (from 1) where the trouble is.
public struct ExpressionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var column: Int
    public var description: String { "column \(column): \(message)" }
}

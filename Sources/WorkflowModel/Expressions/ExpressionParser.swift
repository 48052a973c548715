/// Parses expression text into an `Expression` by precedence climbing.
public struct ExpressionParser {
    private var tokens: [ExpressionLexer.Token]
    private var position = 0
    private var depth = 0
    private static let maxDepth = 64

    /// Parses a whole expression; the error's column is counted from 1 at the start of `text`.
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokenize(text))
        if case .end = parser.current.kind {
            throw ExpressionSyntaxError(message: "the expression is empty", column: 1)
        }
        let expression = try parser.parseExpression()
        guard case .end = parser.current.kind else {
            throw ExpressionSyntaxError(
                message: "unexpected \(parser.describe(parser.current)) after a complete expression",
                column: parser.current.column)
        }
        return expression
    }

    private init(tokens: [ExpressionLexer.Token]) { self.tokens = tokens }

    private var current: ExpressionLexer.Token { tokens[position] }

    private func describe(_ token: ExpressionLexer.Token) -> String {
        switch token.kind {
        case .number(let n): "number \(n)"
        case .string(let s): "string '\(s)'"
        case .identifier(let name): "'\(name)'"
        case .symbol(let s): "'\(s)'"
        case .end: "end of expression"
        }
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private mutating func expect(_ symbol: String, _ context: String) throws(ExpressionSyntaxError) {
        guard isSymbol(symbol) else {
            throw ExpressionSyntaxError(
                message: "expected '\(symbol)' \(context), found \(describe(current))", column: current.column)
        }
        position += 1
    }

    private mutating func parseExpression() throws(ExpressionSyntaxError) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw ExpressionSyntaxError(message: "the expression is nested too deeply", column: current.column)
        }
        let test = try parseBinary(minPrecedence: 1)
        guard isSymbol("?") else { return test }
        position += 1
        let then = try parseExpression()
        try expect(":", "between the two outcomes of '?'")
        let otherwise = try parseExpression()
        return .conditional(test, then: then, else: otherwise)
    }

    private func binaryOperator() -> Expression.BinaryOperator? {
        switch current.kind {
        case .symbol(let s): Expression.BinaryOperator(rawValue: s)
        case .identifier("in"): .in
        default: nil
        }
    }

    private mutating func parseBinary(minPrecedence: Int) throws(ExpressionSyntaxError) -> Expression {
        var lhs = try parseUnary()
        while let op = binaryOperator(), op.precedence >= minPrecedence {
            position += 1
            let rhs = try parseBinary(minPrecedence: op.precedence + 1)
            lhs = .binary(op, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> Expression {
        if isSymbol("!") {
            position += 1
            return .unary(.not, try parseUnary())
        }
        if isSymbol("-") {
            position += 1
            return .unary(.negate, try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let n):
            position += 1
            return .literal(.number(n))
        case .string(let s):
            position += 1
            return .literal(.string(s))
        case .identifier("true"): position += 1; return .literal(.bool(true))
        case .identifier("false"): position += 1; return .literal(.bool(false))
        case .identifier("null"): position += 1; return .literal(.null)
        case .identifier("in"):
            throw ExpressionSyntaxError(message: "'in' needs a value on its left", column: token.column)
        case .identifier(let name):
            position += 1
            if isSymbol("(") { return .call(try parseCall(name: name, column: token.column)) }
            return .path(try parsePath(root: name, column: token.column))
        case .symbol("("):
            position += 1
            let inner = try parseExpression()
            try expect(")", "to close the '(' at column \(token.column)")
            return inner
        case .symbol("["):
            position += 1
            var items: [Expression] = []
            if !isSymbol("]") {
                repeat {
                    if !items.isEmpty { position += 1 }
                    items.append(try parseExpression())
                } while isSymbol(",")
            }
            try expect("]", "to close the list opened at column \(token.column)")
            return .list(items)
        case .end:
            throw ExpressionSyntaxError(message: "the expression ends where a value was expected", column: token.column)
        default:
            throw ExpressionSyntaxError(message: "unexpected \(describe(token)) where a value was expected", column: token.column)
        }
    }

    private mutating func parseCall(name: String, column: Int) throws(ExpressionSyntaxError) -> Expression.FunctionCall {
        position += 1
        var arguments: [Expression] = []
        if !isSymbol(")") {
            repeat {
                if !arguments.isEmpty { position += 1 }
                arguments.append(try parseExpression())
            } while isSymbol(",")
        }
        try expect(")", "to close the arguments of \(name)()")
        return Expression.FunctionCall(name: name, arguments: arguments, column: column)
    }

    private mutating func parsePath(root: String, column: Int) throws(ExpressionSyntaxError) -> Expression.Path {
        var path = Expression.Path(root: root, components: [], column: column)
        while true {
            if isSymbol(".") {
                position += 1
                switch current.kind {
                case .identifier(let key): path.components.append(.key(key))
                case .number(let n) where n >= 0 && n.rounded() == n && n < 1e9: path.components.append(.index(Int(n)))
                default:
                    throw ExpressionSyntaxError(message: "expected a name after '.', found \(describe(current))", column: current.column)
                }
                position += 1
            } else if isSymbol("[") {
                let open = current.column
                position += 1
                switch current.kind {
                case .number(let n) where n.rounded() == n && abs(n) < 1e9 && tokens[position + 1].kind == .symbol("]"):
                    path.components.append(.index(Int(n)))
                    position += 1
                case .string(let key) where tokens[position + 1].kind == .symbol("]"):
                    path.components.append(.key(key))
                    position += 1
                default:
                    path.components.append(.computed(try parseExpression()))
                }
                try expect("]", "to close the '[' at column \(open)")
            } else {
                return path
            }
        }
    }
}

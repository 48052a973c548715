/// A JSON value whose strings may hold `${...}` expressions, compiled once.
///
/// A string that is exactly one expression keeps the value's JSON type; expressions inside a longer
/// string are interpolated as text. `$${` stands for a literal `${`.
public indirect enum Template: Sendable, Hashable {
    case literal(JSONValue)
    case expression(Expression)
    case interpolation([Part])
    case array([Template])
    case object([Member])

    public enum Part: Sendable, Hashable {
        case text(String)
        case expression(Expression)
    }

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: Template
    }

    /// Compiles a string. The error's column counts characters of `text` from 1.
    public static func parse(string text: String) throws(ExpressionSyntaxError) -> Template {
        guard text.contains("${") else { return .literal(.string(text)) }
        let chars = Array(text)
        var parts: [Part] = []
        var literal = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
                literal += "${"
                i += 3
            } else if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" {
                let start = i + 2
                guard let end = closingBrace(in: chars, from: start) else {
                    throw ExpressionSyntaxError(message: "'${' is not closed with '}'", column: i + 1)
                }
                do {
                    let expression = try ExpressionParser.parse(String(chars[start..<end]))
                    if !literal.isEmpty { parts.append(.text(literal)); literal = "" }
                    parts.append(.expression(expression))
                } catch {
                    throw ExpressionSyntaxError(message: error.message, column: start + error.column)
                }
                i = end + 1
            } else {
                literal.append(chars[i])
                i += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        if parts.count == 1, case .expression(let expression) = parts[0] { return .expression(expression) }
        if parts.allSatisfy({ if case .text = $0 { true } else { false } }) {
            return .literal(.string(parts.map { if case .text(let t) = $0 { t } else { "" } }.joined()))
        }
        return .interpolation(parts)
    }

    /// Parses a condition or list expression, written bare (`a > 1`) or wrapped (`${a > 1}`).
    public static func parseBareExpression(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("${"), trimmed.hasSuffix("}"), closingBrace(in: Array(trimmed), from: 2) == trimmed.count - 1 {
            let offset = text.prefix { $0.isWhitespace }.count + 2
            do {
                return try ExpressionParser.parse(String(trimmed.dropFirst(2).dropLast()))
            } catch {
                throw ExpressionSyntaxError(message: error.message, column: error.column + offset)
            }
        }
        return try ExpressionParser.parse(text)
    }

    /// Where the `}` that closes an expression starting at `start` is, skipping quoted strings.
    private static func closingBrace(in chars: [Character], from start: Int) -> Int? {
        var quote: Character?
        var i = start
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\" { i += 1 } else if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "}" {
                return i
            }
            i += 1
        }
        return nil
    }

    /// Every expression in the template, in document order.
    public var expressions: [Expression] {
        switch self {
        case .literal: []
        case .expression(let e): [e]
        case .interpolation(let parts): parts.compactMap { if case .expression(let e) = $0 { e } else { nil } }
        case .array(let items): items.flatMap(\.expressions)
        case .object(let members): members.flatMap(\.value.expressions)
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}

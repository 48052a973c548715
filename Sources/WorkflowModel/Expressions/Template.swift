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
        guard text.utf8.contains(UInt8(ascii: "$")) else { return .literal(.string(text)) }
        let bytes = Array(text.utf8)
        func column(_ offset: Int) -> Int { bytes[..<offset].count { $0 & 0xC0 != 0x80 } + 1 }
        let dollar = UInt8(ascii: "$")
        let open = UInt8(ascii: "{")
        var parts: [Part] = []
        var literal: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == dollar, i + 2 < bytes.count, bytes[i + 1] == dollar, bytes[i + 2] == open {
                literal += [dollar, open]
                i += 3
            } else if bytes[i] == dollar, i + 1 < bytes.count, bytes[i + 1] == open {
                let start = i + 2
                guard let end = closingBrace(in: bytes, from: start) else {
                    throw ExpressionSyntaxError(message: "'${' is not closed with '}'", column: column(i))
                }
                do {
                    let expression = try ExpressionParser.parse(String(decoding: bytes[start..<end], as: UTF8.self))
                    if !literal.isEmpty { parts.append(.text(String(decoding: literal, as: UTF8.self))); literal = [] }
                    parts.append(.expression(expression))
                } catch {
                    throw ExpressionSyntaxError(message: error.message, column: column(start) - 1 + error.column)
                }
                i = end + 1
            } else {
                literal.append(bytes[i])
                i += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(String(decoding: literal, as: UTF8.self))) }
        if parts.count == 1, case .expression(let expression) = parts[0] { return .expression(expression) }
        if parts.allSatisfy({ if case .text = $0 { true } else { false } }) {
            return .literal(.string(parts.map { if case .text(let t) = $0 { t } else { "" } }.joined()))
        }
        return .interpolation(parts)
    }

    /// Parses a condition or list expression, written bare (`a > 1`) or wrapped (`${a > 1}`).
    public static func parseBareExpression(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        let trimmed = text.trimmingWhitespace()
        let bytes = Array(trimmed.utf8)
        if trimmed.hasPrefix("${"), trimmed.hasSuffix("}"), closingBrace(in: bytes, from: 2) == bytes.count - 1 {
            let offset = text.unicodeScalars.prefix { $0.properties.isWhitespace }.count + 2
            do {
                return try ExpressionParser.parse(String(decoding: bytes[2..<bytes.count - 1], as: UTF8.self))
            } catch {
                throw ExpressionSyntaxError(message: error.message, column: error.column + offset)
            }
        }
        return try ExpressionParser.parse(text)
    }

    /// Where the `}` that closes an expression starting at `start` is, skipping quoted strings.
    private static func closingBrace(in bytes: [UInt8], from start: Int) -> Int? {
        var quote: UInt8?
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if let q = quote {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == q { quote = nil }
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                quote = c
            } else if c == UInt8(ascii: "}") {
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

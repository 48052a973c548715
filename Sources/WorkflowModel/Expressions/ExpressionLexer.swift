/// Splits expression text into tokens. Works on UTF-8 bytes; columns count characters (Unicode scalars) from 1.
struct ExpressionLexer {
    enum Kind: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    struct Token {
        var kind: Kind
        var column: Int
    }

    static func tokenize(_ source: String) throws(ExpressionSyntaxError) -> [Token] {
        let bytes = Array(source.utf8)
        var tokens: [Token] = []
        var i = 0
        func column(_ offset: Int) -> Int { bytes[..<offset].count { $0 & 0xC0 != 0x80 } + 1 }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func fail(_ message: String, at offset: Int) -> ExpressionSyntaxError {
            ExpressionSyntaxError(message: message, column: column(offset))
        }

        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            if isDigit(c) {
                var j = i
                while j < bytes.count, isDigit(bytes[j]) { j += 1 }
                if j + 1 < bytes.count, bytes[j] == UInt8(ascii: "."), isDigit(bytes[j + 1]) {
                    j += 1
                    while j < bytes.count, isDigit(bytes[j]) { j += 1 }
                }
                if j < bytes.count, bytes[j] | 0x20 == UInt8(ascii: "e") {
                    var k = j + 1
                    if k < bytes.count, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") { k += 1 }
                    if k < bytes.count, isDigit(bytes[k]) {
                        while k < bytes.count, isDigit(bytes[k]) { k += 1 }
                        j = k
                    }
                }
                let literal = text(i..<j)
                guard let value = Double(literal), value.isFinite else { throw fail("'\(literal)' is not a number", at: i) }
                tokens.append(Token(kind: .number(value), column: column(i)))
                i = j
            } else if isIdentifierStart(c) {
                var j = i
                while j < bytes.count, isIdentifierStart(bytes[j]) || isDigit(bytes[j]) { j += 1 }
                tokens.append(Token(kind: .identifier(text(i..<j)), column: column(i)))
                i = j
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                var j = i + 1
                var value: [UInt8] = []
                var closed = false
                while j < bytes.count {
                    if bytes[j] == c { closed = true; break }
                    if bytes[j] == UInt8(ascii: "\\"), j + 1 < bytes.count {
                        j += 1
                        switch bytes[j] {
                        case UInt8(ascii: "n"): value.append(0x0A)
                        case UInt8(ascii: "t"): value.append(0x09)
                        default: value.append(bytes[j])
                        }
                    } else {
                        value.append(bytes[j])
                    }
                    j += 1
                }
                guard closed else {
                    throw fail("the string starting here is not closed with \(Character(Unicode.Scalar(c)))", at: i)
                }
                tokens.append(Token(kind: .string(String(decoding: value, as: UTF8.self)), column: column(i)))
                i = j + 1
            } else {
                let two = i + 1 < bytes.count ? text(i..<i + 2) : ""
                if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                    if i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "="), two == "==" || two == "!=" {
                        throw fail("'\(two)=' is not an operator; use '\(two)'", at: i)
                    }
                    tokens.append(Token(kind: .symbol(two), column: column(i)))
                    i += 2
                } else if Self.symbols.contains(c) {
                    tokens.append(Token(kind: .symbol(String(Unicode.Scalar(c))), column: column(i)))
                    i += 1
                } else if c == UInt8(ascii: "=") {
                    throw fail("'=' is not an operator; compare with '=='", at: i)
                } else if c == UInt8(ascii: "&") || c == UInt8(ascii: "|") {
                    let s = Character(Unicode.Scalar(c))
                    throw fail("'\(s)' is not an operator; use '\(s)\(s)'", at: i)
                } else {
                    var end = i + 1
                    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                    throw fail("unexpected character '\(text(i..<end))'", at: i)
                }
            }
        }
        tokens.append(Token(kind: .end, column: column(bytes.count)))
        return tokens
    }

    private static let symbols = Set("+-*/%<>!?:.,()[]".utf8)

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// ASCII letters, `_`, and any non-ASCII byte, so names in other scripts lex as identifiers.
    private static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == UInt8(ascii: "_") || c >= 0x80
    }
}

/// Splits expression text into tokens; columns count characters from 1.
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

    static func tokenize(_ text: String) throws(ExpressionSyntaxError) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let column = i + 1
            if c.isWhitespace { i += 1; continue }
            if c.isNumber && c.isASCII {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                if j + 1 < chars.count, chars[j] == ".", chars[j + 1].isASCII, chars[j + 1].isNumber {
                    j += 1
                    while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    if k < chars.count, chars[k].isASCII, chars[k].isNumber {
                        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
                        j = k
                    }
                }
                guard let value = Double(String(chars[i..<j])), value.isFinite else {
                    throw ExpressionSyntaxError(message: "'\(String(chars[i..<j]))' is not a number", column: column)
                }
                tokens.append(Token(kind: .number(value), column: column))
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                tokens.append(Token(kind: .identifier(String(chars[i..<j])), column: column))
                i = j
            } else if c == "'" || c == "\"" {
                var j = i + 1
                var value = ""
                var closed = false
                while j < chars.count {
                    if chars[j] == c { closed = true; break }
                    if chars[j] == "\\", j + 1 < chars.count {
                        j += 1
                        switch chars[j] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(chars[j])
                        }
                    } else {
                        value.append(chars[j])
                    }
                    j += 1
                }
                guard closed else {
                    throw ExpressionSyntaxError(message: "the string starting here is not closed with \(c)", column: column)
                }
                tokens.append(Token(kind: .string(value), column: column))
                i = j + 1
            } else {
                let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
                if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                    if i + 2 < chars.count, chars[i + 2] == "=", two == "==" || two == "!=" {
                        throw ExpressionSyntaxError(message: "'\(two)=' is not an operator; use '\(two)'", column: column)
                    }
                    tokens.append(Token(kind: .symbol(two), column: column))
                    i += 2
                } else if "+-*/%<>!?:.,()[]".contains(c) {
                    tokens.append(Token(kind: .symbol(String(c)), column: column))
                    i += 1
                } else if c == "=" {
                    throw ExpressionSyntaxError(message: "'=' is not an operator; compare with '=='", column: column)
                } else if c == "&" || c == "|" {
                    throw ExpressionSyntaxError(message: "'\(c)' is not an operator; use '\(c)\(c)'", column: column)
                } else {
                    throw ExpressionSyntaxError(message: "unexpected character '\(c)'", column: column)
                }
            }
        }
        tokens.append(Token(kind: .end, column: chars.count + 1))
        return tokens
    }
}

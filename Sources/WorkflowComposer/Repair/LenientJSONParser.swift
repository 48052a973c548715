import WorkflowModel

/// Reads the almost-JSON that language models write: comments, trailing commas, single quotes, unquoted
/// keys, Python literals, raw line breaks in strings, and output cut off before its end. Every liberty
/// taken is noted, so a repair is never silent.
struct LenientJSONParser {
    enum Repair: String, CaseIterable, Sendable {
        case comments = "removed comments"
        case trailingCommas = "removed trailing commas"
        case missingCommas = "added missing commas"
        case singleQuotes = "converted single-quoted strings to double quotes"
        case unquotedKeys = "quoted unquoted keys"
        case pythonLiterals = "converted True/False/None to true/false/null"
        case lineBreaksInStrings = "escaped line breaks inside strings"
        case truncated = "closed output that was cut off"
    }

    struct Failure: Error { var message: String; var offset: Int }

    private let bytes: [UInt8]
    private(set) var index: Int
    private(set) var repairs: Set<Repair> = []
    private var depth = 0
    /// Whether the last string read ran into the end of the input without its closing quote.
    private var stringWasCut = false

    init(bytes: [UInt8], start: Int = 0) {
        self.bytes = bytes
        index = start
    }

    /// Parses one value starting at the current position; `index` is left just after it.
    mutating func parseValue() throws(Failure) -> JSONValue {
        skipTrivia()
        guard index < bytes.count else { throw Failure(message: "no value", offset: index) }
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw Failure(message: "nested too deeply", offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            return try parseNumber()
        default:
            let word = readWord()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case "True": repairs.insert(.pythonLiterals); return .bool(true)
            case "False": repairs.insert(.pythonLiterals); return .bool(false)
            case "None": repairs.insert(.pythonLiterals); return .null
            default: throw Failure(message: "unexpected '\(word.isEmpty ? String(UnicodeScalar(bytes[index])) : word)'", offset: index)
            }
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        index += 1
        var object = JSONObject()
        while true {
            skipTrivia()
            guard index < bytes.count else { repairs.insert(.truncated); return .object(object) }
            let c = bytes[index]
            if c == UInt8(ascii: "}") { index += 1; return .object(object) }
            if c == UInt8(ascii: ",") { index += 1; repairs.insert(.trailingCommas); continue }
            let key: String
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                key = try parseString()
                if stringWasCut { return .object(object) }
            } else if isWordByte(c) {
                key = readWord()
                repairs.insert(.unquotedKeys)
            } else {
                throw Failure(message: "expected a member name", offset: index)
            }
            skipTrivia()
            guard index < bytes.count else { repairs.insert(.truncated); return .object(object) }
            guard bytes[index] == UInt8(ascii: ":") else { throw Failure(message: "expected ':' after \"\(key)\"", offset: index) }
            index += 1
            skipTrivia()
            guard index < bytes.count else { repairs.insert(.truncated); return .object(object) }
            let value = try parseValue()
            if stringWasCut, case .string = value {
                // The value itself was cut off: keep what came before it.
                return .object(object)
            }
            object[key] = value
            skipTrivia()
            guard index < bytes.count else { repairs.insert(.truncated); return .object(object) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipTrivia()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { repairs.insert(.trailingCommas) }
            case UInt8(ascii: "}"): break
            case UInt8(ascii: "\""), UInt8(ascii: "'"): repairs.insert(.missingCommas)
            default: throw Failure(message: "expected ',' or '}'", offset: index)
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        while true {
            skipTrivia()
            guard index < bytes.count else { repairs.insert(.truncated); return .array(items) }
            let c = bytes[index]
            if c == UInt8(ascii: "]") { index += 1; return .array(items) }
            if c == UInt8(ascii: ",") { index += 1; repairs.insert(.trailingCommas); continue }
            let value = try parseValue()
            if stringWasCut, case .string = value { return .array(items) }
            items.append(value)
            skipTrivia()
            guard index < bytes.count else { repairs.insert(.truncated); return .array(items) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipTrivia()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { repairs.insert(.trailingCommas) }
            case UInt8(ascii: "]"): break
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""): repairs.insert(.missingCommas)
            default: throw Failure(message: "expected ',' or ']'", offset: index)
            }
        }
    }

    /// Reads a double- or single-quoted string; at the end of input the string is closed (and noted). Text that is
    /// not UTF-8, and `\u` escapes of unpaired surrogates, are failures: nothing stands in for what cannot be read.
    private mutating func parseString() throws(Failure) -> String {
        let start = index
        let quote = bytes[index]
        stringWasCut = false
        if quote == UInt8(ascii: "'") { repairs.insert(.singleQuotes) }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            if c == quote {
                index += 1
                return try Self.text(out, at: start)
            }
            if c == UInt8(ascii: "\\"), index + 1 < bytes.count {
                let next = bytes[index + 1]
                index += 2
                switch next {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard var code = hex4(at: index) else { break }
                    index += 4
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u"), let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low)
                    {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        let escape = "\\u\(String(code, radix: 16))"
                        throw Failure(message: "\(escape) is half of a surrogate pair, not a character", offset: index - 6)
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(next)
                }
                continue
            }
            if c == 0x0A || c == 0x0D { repairs.insert(.lineBreaksInStrings) }
            out.append(c)
            index += 1
        }
        repairs.insert(.truncated)
        stringWasCut = true
        return try Self.text(out, at: start)
    }

    /// Four hex digits at `offset`, as a number.
    private func hex4(at offset: Int) -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        return UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
    }

    /// The string's bytes as text, or a failure naming the first byte that is not UTF-8.
    private static func text(_ bytes: [UInt8], at start: Int) throws(Failure) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = UTF8Check.firstInvalidOffset(bytes) ?? 0
        throw Failure(
            message: "the string starting at byte \(start) is not valid UTF-8 (byte \(offset) of it)", offset: start + offset)
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            if index >= bytes.count { repairs.insert(.truncated); return .null }
            throw Failure(message: "'\(text)' is not a number", offset: start)
        }
        return .number(number)
    }

    private func isWordByte(_ c: UInt8) -> Bool {
        (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || c == UInt8(ascii: "-")
    }

    private mutating func readWord() -> String {
        let start = index
        while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips white space and `//`, `/* */` and `#` comments.
    private mutating func skipTrivia() {
        while index < bytes.count {
            let c = bytes[index]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                index += 1
            } else if c == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*") {
                repairs.insert(.comments)
                if bytes[index + 1] == UInt8(ascii: "/") {
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                } else {
                    index += 2
                    while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                    index = min(index + 2, bytes.count)
                }
            } else if c == UInt8(ascii: "#") {
                repairs.insert(.comments)
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else {
                return
            }
        }
    }
}

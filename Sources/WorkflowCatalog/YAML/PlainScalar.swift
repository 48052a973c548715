import Yams

/// What an unquoted YAML scalar means under the YAML 1.2 core schema.
///
/// Baton reads YAML with the 1.2 core schema rather than YAML 1.1's: `yes`, `no`, `on`, `off`, `1:30` and dates stay
/// strings, so a value such as a country code `NO` is never silently turned into `false`.
enum PlainScalar: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    /// `.inf` or `.nan`, which JSON cannot hold.
    case nonFinite
    case string

    init(_ text: String) {
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            self = .nonFinite
        default: self = Self.number(text).map { .number($0) } ?? .string
        }
    }

    /// The value of a core-schema integer (`12`, `-3`, `0o17`, `0x1F`) or float (`1.5`, `.5`, `1e3`), if `text` is one.
    private static func number(_ text: String) -> Double? {
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8).map(Double.init) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16).map(Double.init) }
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let digits = bytes.prefix { isDigit($0) }
        bytes = bytes.dropFirst(digits.count)
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fraction = bytes.prefix { isDigit($0) }.count
            bytes = bytes.dropFirst(fraction)
        }
        guard digits.count + fraction > 0 else { return nil }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            let exponent = bytes.prefix { isDigit($0) }.count
            guard exponent > 0 else { return nil }
            bytes = bytes.dropFirst(exponent)
        }
        guard bytes.isEmpty, let value = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
            return nil
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Whether `text` needs quotes to be read back as a string, here or by a YAML 1.1 reader.
    static func needsQuotes(_ text: String) -> Bool {
        if isPlainWord(text) { return false }
        guard PlainScalar(text) == .string else { return true }
        return Resolver.default.resolveTag(of: Node(text)) != .str
    }

    /// Words YAML 1.1 reads as something other than a string when unquoted.
    private static let keywords: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]

    /// A word of ASCII letters, digits, `_`, `-` and `.` starting with a letter, and no keyword: a string as it stands,
    /// known without the resolver's regular expressions (which cost most of rendering a long document).
    static func isPlainWord(_ text: String) -> Bool {
        guard let first = text.utf8.first, (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first) else { return false }
        for byte in text.utf8 {
            let letter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            guard letter || (0x30...0x39).contains(byte) || byte == 0x5F || byte == 0x2D || byte == 0x2E else { return false }
        }
        return !keywords.contains(text.lowercased())
    }
}

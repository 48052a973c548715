extension JSONValue {
    /// The value as compact JSON text, keys in their order.
    public var jsonText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.isFinite ? n.jsonText : "null"
        case .string(let s): s.jsonQuoted
        case .array(let a): "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o): "{" + o.map { $0.key.jsonQuoted + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    /// The value as indented JSON text for people, keys in their order; short scalar lists stay on one line.
    public func prettyJSON(indent: String = "  ") -> String {
        var out = ""
        write(into: &out, level: 0, indent: indent)
        return out
    }

    private func write(into out: inout String, level: Int, indent: String) {
        let pad = String(repeating: indent, count: level + 1)
        let close = String(repeating: indent, count: level)
        switch self {
        case .array(let items) where items.isEmpty: out += "[]"
        case .array(let items) where items.count <= 8 && items.allSatisfy(\.isScalar) && jsonText.count <= 80:
            out += "[" + items.map(\.jsonText).joined(separator: ", ") + "]"
        case .array(let items):
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, level: level + 1, indent: indent)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += close + "]"
        case .object(let object) where object.isEmpty: out += "{}"
        case .object(let object):
            out += "{\n"
            for (i, member) in object.enumerated() {
                out += pad + member.key.jsonQuoted + ": "
                member.value.write(into: &out, level: level + 1, indent: indent)
                out += i == object.count - 1 ? "\n" : ",\n"
            }
            out += close + "}"
        default: out += jsonText
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

extension Double {
    /// Whether the number is written without a fraction (whole and small enough to be exact).
    public var isWhole: Bool { rounded() == self && abs(self) < 1e15 }

    /// The number as JSON writes it: whole numbers without `.0`.
    public var jsonText: String { isWhole ? String(Int64(self)) : String(self) }
}

extension String {
    /// The string as a JSON string literal.
    public var jsonQuoted: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

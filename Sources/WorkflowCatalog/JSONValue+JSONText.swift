import WorkflowModel

extension JSONValue {
    /// The value as compact JSON text, keys in their order.
    var jsonText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.isFinite ? n.jsonText : "null"
        case .string(let s): s.jsonQuoted
        case .array(let a): "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o): "{" + o.map { $0.key.jsonQuoted + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}

extension Double {
    /// Whether the number is written without a fraction (whole and small enough to be exact).
    var isWhole: Bool { rounded() == self && abs(self) < 1e15 }

    /// The number as JSON writes it: whole numbers without `.0`.
    var jsonText: String { isWhole ? String(Int64(self)) : String(self) }
}

extension String {
    /// The string as a JSON string literal.
    var jsonQuoted: String {
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

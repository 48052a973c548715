/// The functions an expression may call, with how many arguments each takes.
public enum ExpressionFunctions {
    public struct Signature: Sendable {
        public var name: String
        public var arity: ClosedRange<Int>
        public var summary: String
    }

    public static let all: [Signature] = [
        Signature(name: "length", arity: 1...1, summary: "items in a list, members of an object or characters of a string"),
        Signature(name: "lower", arity: 1...1, summary: "a string in lower case"),
        Signature(name: "upper", arity: 1...1, summary: "a string in upper case"),
        Signature(name: "trim", arity: 1...1, summary: "a string without leading and trailing white space"),
        Signature(name: "contains", arity: 2...2, summary: "whether a list holds a value, a string a substring, an object a key"),
        Signature(name: "startsWith", arity: 2...2, summary: "whether a string starts with a prefix"),
        Signature(name: "default", arity: 2...2, summary: "the first argument, or the second when the first is null"),
        Signature(name: "coalesce", arity: 1...16, summary: "the first argument that is not null"),
        Signature(name: "now", arity: 0...0, summary: "the current time as an ISO 8601 string (UTC)"),
        Signature(name: "formatDate", arity: 2...2, summary: "an ISO 8601 date formatted with a pattern such as yyyy-MM-dd"),
        Signature(name: "toNumber", arity: 1...1, summary: "a number from a number, a numeric string or a boolean"),
        Signature(name: "toString", arity: 1...1, summary: "the text of a value (JSON for lists and objects)"),
        Signature(name: "join", arity: 1...2, summary: "the items of a list joined by a separator (default ',')"),
        Signature(name: "keys", arity: 1...1, summary: "the member names of an object"),
    ]

    public static let byName: [String: Signature] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

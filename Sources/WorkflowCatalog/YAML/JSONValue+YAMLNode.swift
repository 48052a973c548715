import WorkflowModel
import Yams

extension JSONValue {
    /// The value as a Yams node tree.
    ///
    /// With `forDecoding`, every string is double-quoted and tagged, so a `YAMLDecoder` reading the tree never
    /// mistakes `"12"` or `"yes"` for a number or a boolean. Otherwise strings are quoted only when they must be,
    /// multi-line ones are written as literal blocks, and collections use block style.
    func yamlNode(forDecoding: Bool = false) -> Node {
        switch self {
        case .null: return Node("null", Tag(.null), .plain)
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool), .plain)
        case .number(let n):
            guard n.isFinite else { return Node(n.isNaN ? ".nan" : n < 0 ? "-.inf" : ".inf", Tag(.float), .plain) }
            return Node(n.jsonText, Tag(n.isWhole ? .int : .float), .plain)
        case .string(let s): return Self.stringNode(s, forDecoding: forDecoding)
        case .array(let elements):
            let style: Node.Sequence.Style = elements.isEmpty || forDecoding ? .flow : .block
            return Node(elements.map { $0.yamlNode(forDecoding: forDecoding) }, Tag(.seq), style)
        case .object(let object):
            let style: Node.Mapping.Style = object.isEmpty || forDecoding ? .flow : .block
            let pairs = object.map {
                (Self.stringNode($0.key, forDecoding: forDecoding), $0.value.yamlNode(forDecoding: forDecoding))
            }
            // Yams looks keys up with the mapping's resolver; `.basic` reads every key as a string, like ours.
            return Node(pairs, Tag(.map, .basic), style)
        }
    }

    private static func stringNode(_ s: String, forDecoding: Bool) -> Node {
        if forDecoding { return Node(s, Tag(.str), .doubleQuoted) }
        if s.contains("\n") { return Node(s, Tag(.str), .literal) }
        return Node(s, Tag(.str), PlainScalar.needsQuotes(s) ? .doubleQuoted : .any)
    }
}

extension YAMLDocument {
    /// Writes `value` as block-style YAML in its key order, quoting strings only where needed; `parse` reads it back
    /// as the same value.
    public static func render(_ value: JSONValue) -> String {
        let node = value.yamlNode()
        if let text = try? Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true) { return text }
        // The emitter fails only on input it cannot represent; JSON is YAML too.
        return value.jsonText + "\n"
    }
}

import WorkflowModel

/// Finds the workflow document in a model's raw answer: inside markdown fences or prose, among several
/// objects, or cut off at the end.
enum OutputExtractor {
    struct Extraction {
        var value: JSONValue
        var repairs: [String]
    }

    /// The last JSON object in `text` that looks like a workflow (or a refusal), else the last object at all.
    /// Returns `nil` when the text holds no object that can be read even leniently.
    static func extract(from text: String) -> Extraction? {
        var repairs: [String] = []
        var body = text
        if let fenced = fencedBlocks(in: text).last(where: { $0.contains("{") }) {
            repairs.append("removed markdown code fences")
            body = fenced
        }
        let bytes = Array(body.utf8)
        var found: [(value: JSONValue, start: Int, end: Int, repairs: Set<LenientJSONParser.Repair>)] = []
        var position = 0
        while let start = bytes[position...].firstIndex(of: UInt8(ascii: "{")) {
            var parser = LenientJSONParser(bytes: bytes, start: start)
            if let value = try? parser.parseValue(), case .object = value {
                found.append((value, start, parser.index, parser.repairs))
                position = max(parser.index, start + 1)
            } else {
                position = start + 1
            }
            if position >= bytes.count { break }
        }
        guard !found.isEmpty else { return nil }
        let chosen = found.last { looksLikeWorkflow($0.value) || isRefusal($0.value) } ?? found.max { $0.end - $0.start < $1.end - $1.start }!
        if found.count > 1 { repairs.append("took the last workflow of \(found.count) JSON objects in the answer") }
        let before = bytes[..<chosen.start].contains { !isSpace($0) }
        let after = bytes[chosen.end...].contains { !isSpace($0) }
        if (before || after) && found.count == 1 { repairs.append("ignored text around the JSON") }
        repairs += LenientJSONParser.Repair.allCases.filter(chosen.repairs.contains).map(\.rawValue)
        return Extraction(value: chosen.value, repairs: repairs)
    }

    static func looksLikeWorkflow(_ value: JSONValue) -> Bool {
        guard case .object(let object) = value else { return false }
        if object.keys.contains(where: { $0.lowercased() == "steps" }) { return true }
        return object.values.contains { looksLikeWorkflow($0) } && object.count <= 2
    }

    /// `{"error": "missing-connector", "missing": [...], "message": "..."}`: the model's way to decline.
    static func isRefusal(_ value: JSONValue) -> Bool {
        value["error"]?.stringValue == "missing-connector"
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// The contents of each ``` fenced block, in order; an unclosed last fence runs to the end.
    static func fencedBlocks(in text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingPrefix(while: { $0 == " " }).hasPrefix("```") {
                if let lines = current {
                    blocks.append(lines.joined(separator: "\n"))
                    current = nil
                } else {
                    current = []
                }
            } else {
                current?.append(line)
            }
        }
        if let lines = current, !lines.isEmpty { blocks.append(lines.joined(separator: "\n")) }
        return blocks
    }
}

extension Substring {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        drop(while: predicate)
    }
}

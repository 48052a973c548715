/// The top-level fields of a request body as the catalog describes it (`{name*: string, lines*: [{sku*: string}],
/// source: "web"|"api"}`): each name, whether it is required (`*`), and its type as written.
import Foundation

enum BodyFields {
    struct Field: Equatable {
        var name: String
        var required: Bool
        var type: String
    }

    /// The fields, or none when the shape is not an object of named fields (`any`, an array).
    static func topLevel(of shape: String) -> [Field] {
        let text = shape.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return [] }
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in text.dropFirst().dropLast() {
            if character == "\"" {
                quoted.toggle()
            } else if !quoted, "{[".contains(character) {
                depth += 1
            } else if !quoted, "}]".contains(character) {
                depth -= 1
            } else if !quoted, depth == 0, character == "," {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts.compactMap { part in
            guard let colon = part.firstIndex(of: ":") else { return nil }
            var name = part[..<colon].trimmingCharacters(in: .whitespaces)
            let required = name.hasSuffix("*")
            if required { name.removeLast() }
            guard !name.isEmpty else { return nil }
            return Field(name: name, required: required, type: part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }
}

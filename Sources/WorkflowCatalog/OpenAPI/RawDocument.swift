import Foundation
import WorkflowModel

/// The document as parsed, for what OpenAPIKit's model does not keep: the order of object keys in examples.
struct RawDocument {
    let root: JSONValue

    /// `value`, after following local `$ref`s (`#/components/...`).
    func resolved(_ value: JSONValue?) -> JSONValue? {
        var current = value
        var hops = 0
        while let reference = current?["$ref"]?.stringValue, reference.hasPrefix("#"), hops < 32 {
            let pointer = String(reference.dropFirst())
            current = JSONPointer.resolve(pointer.removingPercentEncoding ?? pointer, in: root)
            hops += 1
        }
        return current
    }

    /// The member `key` of `value` once references are followed.
    func member(_ value: JSONValue?, _ key: String) -> JSONValue? { resolved(value)?[key] }

    /// The example of a media type object: its `example`, the value of the first of its `examples`, or else its
    /// schema's example.
    func example(ofMediaType mediaType: JSONValue?) -> JSONValue? {
        guard let mediaType = resolved(mediaType) else { return nil }
        if let example = mediaType["example"] { return example }
        if let first = mediaType["examples"]?.objectValue?.first(where: { _ in true }) {
            return member(first.value, "value")
        }
        let schema = resolved(mediaType["schema"])
        return schema?["example"] ?? schema?["examples"]?.arrayValue?.first
    }

    /// The first JSON media type of a `content` map, preferring `application/json` to `…+json` types.
    static func jsonMediaType<Key>(in keys: [Key], name: (Key) -> String) -> Key? {
        keys.first { isJSON(name($0), strict: true) } ?? keys.first { isJSON(name($0), strict: false) }
    }

    private static func isJSON(_ mediaType: String, strict: Bool) -> Bool {
        let essence = mediaType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return essence == "application/json" || (!strict && essence.hasSuffix("+json"))
    }
}

import Foundation
import WorkflowEngine
import WorkflowModel

/// How journal values are kept as text by the database backends, written once so that each stores them alike.
package enum JournalText {
    /// A JSON value read back from its text; `nil` for none or for text that is not JSON.
    package static func json(_ text: String?) -> JSONValue? { text.flatMap { try? JSONParser.parse($0) } }

    /// A wait's resolution as JSON text.
    package static func text(of resolution: WaitResolution) -> String {
        JSONValue.object(JSONObject([
            ("approved", .bool(resolution.approved)), ("data", resolution.data), ("by", resolution.by.map(JSONValue.string) ?? .null),
            ("at", .number(Double(resolution.at.milliseconds))),
        ])).jsonText
    }

    /// A resolution read back from its text.
    package static func resolution(_ text: String) -> WaitResolution? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return WaitResolution(
            approved: value["approved"]?.boolValue ?? false, data: value["data"] ?? .null, by: value["by"]?.stringValue,
            at: Date(milliseconds: Int64(value["at"]?.numberValue ?? 0)))
    }
}

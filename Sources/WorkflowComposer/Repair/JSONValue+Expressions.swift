import Foundation
import WorkflowModel

extension JSONValue {
    /// This value with every string that holds expressions passed through `transform`, with its JSON pointer under
    /// `pointer`: a string with `${...}` in it, or a whole expression field (`if`, `when`, `items`). A string
    /// `transform` returns nil for stays as it is.
    func mappingExpressionStrings(at pointer: String = "", key: String = "", _ transform: (_ pointer: String, _ text: String) -> String?) -> JSONValue {
        switch self {
        case .string(let text) where text.contains("${") || DiagnosticRepairer.expressionFields.contains(key):
            return transform(pointer, text).map(JSONValue.string) ?? self
        case .array(let items):
            return .array(items.enumerated().map { $1.mappingExpressionStrings(at: "\(pointer)/\($0)", key: key, transform) })
        case .object(let object):
            var result = object
            for (field, item) in object {
                result[field] = item.mappingExpressionStrings(at: "\(pointer)/\(JSONPointer.escape(field))", key: field, transform)
            }
            return .object(result)
        default:
            return self
        }
    }
}

/// The expressions of one string of a document: each `${...}` in it, or the whole of it when it has none (a
/// condition's `if`).
enum ExpressionText {
    static func mapping(_ text: String, _ transform: (String) -> String) -> String {
        guard text.contains("${") else { return transform(text) }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            result += rest[..<open.upperBound] + transform(String(rest[open.upperBound..<close])) + "}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

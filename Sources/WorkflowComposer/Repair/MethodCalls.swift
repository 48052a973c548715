import Foundation
import WorkflowModel

/// A function called as a method, as JavaScript writes it (`input.services.join(', ')`, `name.toLowerCase()`), is
/// the function with the value first (`join(input.services, ', ')`, `lower(name)`). Written so it never parses, so
/// the rewrite changes nothing that worked.
enum MethodCalls {
    /// The functions a value may be written before, by the names models use, and Baton's name for each: its own
    /// names, and JavaScript's for three of them.
    static let functions: [String: String] = Dictionary(
        ExpressionFunctions.all.map { ($0.name, $0.name) } + [("toLowerCase", "lower"), ("toUpperCase", "upper"), ("includes", "contains")],
        uniquingKeysWith: { first, _ in first })

    private static let pattern = try! NSRegularExpression(
        pattern: #"(?<![A-Za-z0-9_.\]])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*)\.([A-Za-z]+)\((\s*\))?"#)

    /// `expression` with each method call written as a function call; nil when it has none.
    static func rewritten(_ expression: String) -> String? {
        var text = expression
        var changed = false
        // From the last match back, so earlier ranges stay valid.
        for match in pattern.matches(in: expression, range: NSRange(expression.startIndex..., in: expression)).reversed() {
            guard let whole = Range(match.range, in: text), let path = Range(match.range(at: 1), in: text),
                let name = Range(match.range(at: 2), in: text), let function = functions[String(text[name])]
            else { continue }
            let empty = match.range(at: 3).location != NSNotFound
            text.replaceSubrange(whole, with: "\(function)(\(text[path])" + (empty ? ")" : ", "))
            changed = true
        }
        return changed ? text : nil
    }
}

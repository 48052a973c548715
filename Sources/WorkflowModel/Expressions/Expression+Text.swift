import Foundation

extension Expression: CustomStringConvertible {
    /// The expression written back as text, with parentheses only where precedence needs them.
    public var description: String { text(parentPrecedence: 0) }

    private func text(parentPrecedence: Int) -> String {
        switch self {
        case .literal(.string(let s)): return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .literal(let value): return value.compactText
        case .list(let items): return "[" + items.map { $0.text(parentPrecedence: 0) }.joined(separator: ", ") + "]"
        case .path(let path):
            var text = path.root
            for component in path.components {
                switch component {
                case .key(let key) where DocumentReader.isIdentifier(key): text += "." + key
                case .key(let key): text += "['\(key)']"
                case .index(let i): text += "[\(i)]"
                case .computed(let inner): text += "[\(inner.text(parentPrecedence: 0))]"
                }
            }
            return text
        case .unary(let op, let operand): return op.rawValue + operand.text(parentPrecedence: 7)
        case .binary(let op, let lhs, let rhs):
            let text = lhs.text(parentPrecedence: op.precedence) + " \(op.rawValue) " + rhs.text(parentPrecedence: op.precedence + 1)
            return op.precedence < parentPrecedence ? "(\(text))" : text
        case .conditional(let test, let then, let otherwise):
            let text = "\(test.text(parentPrecedence: 1)) ? \(then.text(parentPrecedence: 0)) : \(otherwise.text(parentPrecedence: 0))"
            return parentPrecedence > 0 ? "(\(text))" : text
        case .call(let call): return call.name + "(" + call.arguments.map { $0.text(parentPrecedence: 0) }.joined(separator: ", ") + ")"
        }
    }
}

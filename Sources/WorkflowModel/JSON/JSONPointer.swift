import Foundation

/// JSON Pointers (RFC 6901): how a diagnostic names the place it is about.
public enum JSONPointer {
    /// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The reference tokens of `pointer`, unescaped.
    public static func tokens(_ pointer: String) -> [String] {
        guard !pointer.isEmpty else { return [] }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            guard $0.utf8.contains(UInt8(ascii: "~")) else { return String($0) }
            return $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// The value at `pointer` in `root`, or `nil` when there is none.
    public static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        var current = root
        for token in tokens(pointer) {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let i = Int(token), array.indices.contains(i) else { return nil }
                current = array[i]
            default: return nil
            }
        }
        return current
    }
}

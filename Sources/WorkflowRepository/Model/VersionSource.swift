/// How a version's definition came to be.
public enum VersionSource: String, Codable, Sendable, CaseIterable {
    /// Composed from an English request.
    case composed
    /// A composed revision of an earlier version, from an English instruction.
    case revised
    /// Edited by hand.
    case edited
    /// Read from a file.
    case imported
}

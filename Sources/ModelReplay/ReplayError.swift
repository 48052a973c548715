/// Why fixtures could not be loaded or the server could not start.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case unreadable
        case invalidFixture
        case duplicateFixture
        case startFailed
    }

    let code: Code
    /// What went wrong, for a person.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A file or folder could not be read.
    public static let unreadable = ReplayError(.unreadable, "")
    /// A fixture file does not decode, or its name does not match its file name.
    public static let invalidFixture = ReplayError(.invalidFixture, "")
    /// Two fixtures share a name.
    public static let duplicateFixture = ReplayError(.duplicateFixture, "")
    /// The server could not bind or start.
    public static let startFailed = ReplayError(.startFailed, "")

    /// Errors of the same kind match, whatever their message: `#expect(throws: ReplayError.invalidFixture)`.
    public static func == (lhs: ReplayError, rhs: ReplayError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { message.isEmpty ? code.rawValue : message }
}

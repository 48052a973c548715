import Foundation

/// An API token as stored: its name and dates, never its text.
public struct APIToken: Sendable, Hashable, Codable {
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    public init(name: String, createdAt: Date, revokedAt: Date? = nil, lastUsedAt: Date? = nil) {
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }
}

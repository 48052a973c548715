import Foundation

/// A workflow as listed: its lifecycle and which versions matter, without any definition.
public struct WorkflowSummary: Codable, Sendable, Hashable {
    public var id: Int64
    /// The latest version's name.
    public var name: String
    /// The latest version's description.
    public var description: String?
    public var state: LifecycleState
    /// The number of the newest version.
    public var latestVersion: Int
    /// The version that is live; when paused or archived, the one that was. Nil until first activated.
    public var activeVersion: Int?
    public var createdAt: Date
    /// When anything about the workflow was last written.
    public var updatedAt: Date

    public init(
        id: Int64, name: String, description: String?, state: LifecycleState, latestVersion: Int,
        activeVersion: Int?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.state = state
        self.latestVersion = latestVersion
        self.activeVersion = activeVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

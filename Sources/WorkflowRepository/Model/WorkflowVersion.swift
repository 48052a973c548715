import Foundation

/// One immutable version of a workflow: its definition exactly as saved, and where it came from.
public struct WorkflowVersion: Codable, Sendable, Hashable {
    public var workflowID: Int64
    /// 1 for the first version, then one more for each.
    public var number: Int
    /// The workflow definition as JSON text, byte for byte as it was given.
    public var definition: String
    public var name: String
    public var description: String?
    public var source: VersionSource
    /// The composition that produced this version, when one did.
    public var compositionID: String?
    public var createdAt: Date

    public init(
        workflowID: Int64, number: Int, definition: String, name: String, description: String?,
        source: VersionSource, compositionID: String?, createdAt: Date
    ) {
        self.workflowID = workflowID
        self.number = number
        self.definition = definition
        self.name = name
        self.description = description
        self.source = source
        self.compositionID = compositionID
        self.createdAt = createdAt
    }
}

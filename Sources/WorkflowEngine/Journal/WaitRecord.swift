import Foundation
import WorkflowModel

/// A durable wait of a run: a timer, or a callback or approval completed once with its token.
public struct WaitRecord: Sendable, Hashable {
    public var runID: String
    /// The key of the wait step instance.
    public var key: String
    public var stepID: String
    public var kind: Step.Wait.Kind
    /// The one-time token that completes a callback or approval.
    public var token: String
    public var createdAt: Date
    /// When a timer fires, or when a callback or approval times out; `nil` waits for ever.
    public var deadline: Date?
    /// For approvals: the message shown to approvers.
    public var message: String?
    public var resolution: WaitResolution?

    public init(
        runID: String, key: String, stepID: String, kind: Step.Wait.Kind, token: String, createdAt: Date, deadline: Date?,
        message: String? = nil, resolution: WaitResolution? = nil
    ) {
        self.runID = runID
        self.key = key
        self.stepID = stepID
        self.kind = kind
        self.token = token
        self.createdAt = createdAt
        self.deadline = deadline
        self.message = message
        self.resolution = resolution
    }
}

/// How a callback or approval was completed.
public struct WaitResolution: Sendable, Hashable {
    public var approved: Bool
    public var data: JSONValue
    public var by: String?
    public var at: Date

    public init(approved: Bool, data: JSONValue = .null, by: String? = nil, at: Date) {
        self.approved = approved
        self.data = data
        self.by = by
        self.at = at
    }

    /// The wait step's output: `{"approved": ..., "data": ..., "by": ...}`.
    public var output: JSONValue {
        .object(JSONObject([("approved", .bool(approved)), ("data", data), ("by", by.map(JSONValue.string) ?? .null)]))
    }
}

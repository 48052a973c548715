import Foundation
import WorkflowModel

/// Where a run is in its life. `completed`, `failed`, `compensated` and `cancelled` are final.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, running, waiting, completed, failed, compensating, compensated, cancelled

    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .compensated, .cancelled: true
        case .pending, .running, .waiting, .compensating: false
        }
    }

    /// Whether a run in this status is held by nobody: writing a pending, waiting or final run releases it.
    public var releasesHolder: Bool { self == .pending || self == .waiting || isTerminal }
}

/// Why a run or a step failed: the step, a stable code (`http.503`, `timeout`, `payment.declined`) and a message.
public struct RunError: Sendable, Hashable, Codable, Error, CustomStringConvertible {
    public var step: String?
    public var code: String
    public var message: String

    public init(step: String?, code: String, message: String) {
        self.step = step
        self.code = code
        self.message = message
    }

    public var description: String { (step.map { "\($0): " } ?? "") + "\(code): \(message)" }

    /// The value `${error}` reads in handlers.
    public var scopeValue: JSONValue {
        .object(JSONObject([("step", step.map(JSONValue.string) ?? .null), ("code", .string(code)), ("message", .string(message))]))
    }
}

/// One run of one version of a workflow.
public struct RunRecord: Sendable, Hashable {
    public var id: String
    public var workflowID: Int64
    public var workflowName: String
    public var version: Int
    public var status: RunStatus
    public var input: JSONValue
    /// The event or webhook payload that started the run, read as `${trigger...}`.
    public var trigger: JSONValue?
    public var output: JSONValue?
    public var error: RunError?
    public var createdAt: Date
    public var endedAt: Date?
    /// When a waiting run should be looked at again: its earliest timer or wait timeout.
    public var wakeAt: Date?
    /// The run this one replays, when it was started by `replay`.
    public var replayOf: String?
    /// Whether someone asked to cancel the run while another process was running it.
    public var cancelRequested: Bool
    /// The key that makes a request to start this run idempotent: a second request with it gets this run.
    public var idempotencyKey: String?

    public init(
        id: String, workflowID: Int64, workflowName: String, version: Int, status: RunStatus = .pending, input: JSONValue,
        trigger: JSONValue? = nil, output: JSONValue? = nil, error: RunError? = nil, createdAt: Date, endedAt: Date? = nil, wakeAt: Date? = nil,
        replayOf: String? = nil, cancelRequested: Bool = false, idempotencyKey: String? = nil
    ) {
        self.id = id
        self.workflowID = workflowID
        self.workflowName = workflowName
        self.version = version
        self.status = status
        self.input = input
        self.trigger = trigger
        self.output = output
        self.error = error
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.wakeAt = wakeAt
        self.replayOf = replayOf
        self.cancelRequested = cancelRequested
        self.idempotencyKey = idempotencyKey
    }

    /// Seconds from creation to the end, or `nil` while the run is not finished.
    public var duration: TimeInterval? { endedAt.map { $0.timeIntervalSince(createdAt) } }
}

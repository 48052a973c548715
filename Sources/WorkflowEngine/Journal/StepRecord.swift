import Foundation
import WorkflowModel

/// How a step ended.
public enum StepStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case succeeded, failed, skipped, compensated
}

/// The recorded outcome of one step instance of a run. There is exactly one per key.
public struct StepRecord: Sendable, Hashable {
    public var runID: String
    /// The instance's key: the step id, prefixed by loop iterations and group attempts (`notify[3]/send`).
    public var key: String
    public var stepID: String
    public var kind: String
    public var status: StepStatus
    public var attempts: Int
    /// What the step worked on: the request of a call, the items of a loop. Secrets are redacted.
    public var input: JSONValue?
    public var output: JSONValue?
    public var error: RunError?
    public var startedAt: Date
    public var endedAt: Date
    /// The order in which the run recorded its outcomes, from 1.
    public var sequence: Int
    /// For a compensation: the key of the step it undoes.
    public var compensates: String?

    public init(
        runID: String, key: String, stepID: String, kind: String, status: StepStatus, attempts: Int, input: JSONValue?,
        output: JSONValue?, error: RunError?, startedAt: Date, endedAt: Date, sequence: Int, compensates: String? = nil
    ) {
        self.runID = runID
        self.key = key
        self.stepID = stepID
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.input = input
        self.output = output
        self.error = error
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.sequence = sequence
        self.compensates = compensates
    }
}

extension StepRecord {
    /// The keys of the steps whose compensation succeeded: those are undone. A step whose compensation failed is not.
    public static func undone(in steps: some Sequence<StepRecord>) -> Set<String> {
        Set(steps.lazy.filter { $0.status == .compensated }.compactMap(\.compensates))
    }

    /// The keys of the steps whose compensation failed: their effect stands.
    public static func notUndone(in steps: some Sequence<StepRecord>) -> Set<String> {
        Set(steps.lazy.filter { $0.status != .compensated }.compactMap(\.compensates))
    }
}

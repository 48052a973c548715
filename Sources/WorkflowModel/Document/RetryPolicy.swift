/// How a failed step is tried again.
public struct RetryPolicy: Sendable, Hashable {
    public enum Backoff: String, Sendable, Hashable, CaseIterable { case fixed, exponential }
    public enum Jitter: String, Sendable, Hashable, CaseIterable { case none, full, equal }
    public enum ErrorClass: String, Sendable, Hashable, CaseIterable { case transient, permanent }

    public var maxAttempts: Int = 3
    public var backoff: Backoff = .exponential
    public var initialDelay: WorkflowDuration = .seconds(1)
    public var multiplier: Double = 2
    public var maxDelay: WorkflowDuration = .seconds(300)
    public var jitter: Jitter = .full
    public var retryOn: Set<ErrorClass> = [.transient]

    public init() {}

    /// The policy used by `onError: retry` on a step that has no `retry` of its own.
    public static let `default` = RetryPolicy()

    public static let attemptsRange = 1...20
    public static let multiplierRange = 1.0...10.0
    public static let maxDelayLimit = WorkflowDuration.hours(24)
}

/// What happens when a step still fails after its retries.
public struct StepErrorAction: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable { case retry, skip, abort, handle }
    public var action: Action
    /// For `skip`: the output the step takes instead.
    public var output: Template?
    /// For `handle`: the steps to run before carrying on.
    public var steps: [Step]?
}

import Foundation
import WorkflowModel

/// What a run needs from the world: storage, time, connectors and secrets, and where to report progress.
public struct EngineEnvironment: Sendable {
    public var journal: any RunJournal
    public var clock: any EngineClock
    public var caller: any ConnectorCaller
    public var catalog: ConnectorCatalog
    public var secrets: any SecretProvider
    public var limits: EngineLimits
    /// Called for every finished step and run, from whatever task finished it.
    public var onEvent: @Sendable (EngineEvent) -> Void
    /// Random numbers in 0..<1 for retry jitter.
    public var random: @Sendable () -> Double

    public init(
        journal: any RunJournal, clock: any EngineClock = SystemClock(), caller: any ConnectorCaller,
        catalog: ConnectorCatalog, secrets: any SecretProvider = EnvironmentSecrets([:]), limits: EngineLimits = EngineLimits(),
        onEvent: @escaping @Sendable (EngineEvent) -> Void = { _ in }, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.journal = journal
        self.clock = clock
        self.caller = caller
        self.catalog = catalog
        self.secrets = secrets
        self.limits = limits
        self.onEvent = onEvent
        self.random = random
    }
}

/// Bounds on what a step may take.
public struct EngineLimits: Sendable {
    /// The timeout of a call step that sets none.
    public var callTimeout: TimeInterval = 30
    /// The largest response body a call accepts.
    public var maxResponseBytes = 10 * 1024 * 1024

    public init() {}
}

/// Something that happened in a run, for progress display and structured logs.
public enum EngineEvent: Sendable {
    /// The run is recorded and about to execute its first step.
    case runStarted(RunRecord)
    /// A step outcome was recorded; `operation` is `connector.operation` for a call step.
    case stepFinished(StepRecord, operation: String?)
    case runWaiting(RunRecord, [WaitRecord])
    case runFinished(RunRecord)
}

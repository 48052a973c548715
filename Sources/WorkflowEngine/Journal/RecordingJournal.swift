import Foundation

/// The journal as an engine writes to it. Every entry and every wait resolution passes the redactor on its way in,
/// so no secret reaches storage whichever step, run or wait it came with; every write goes under the engine's
/// lease, and a write refused because another owner took its run is reported to the engine before it is thrown.
struct RecordingJournal: RunJournal {
    let base: any RunJournal
    let redactor: Redactor
    /// The engine's lease, from now.
    let lease: @Sendable () -> RunLease
    /// Told of a run whose lease was lost.
    let lost: @Sendable (String) -> Void

    func write(_ entries: [JournalEntry], durable: Bool, lease given: RunLease?) async throws {
        let entries = redactor.isEmpty ? entries : entries.map(redactor.redact)
        do {
            try await base.write(entries, durable: durable, lease: given ?? lease())
        } catch JournalError.leaseLost(let runID) {
            lost(runID)
            throw JournalError.leaseLost(runID)
        }
    }

    func resolveWait(runID: String, token: String, resolution: WaitResolution) async throws -> WaitRecord {
        try await base.resolveWait(runID: runID, token: token, resolution: redactor.redact(resolution))
    }

    func enqueue(_ run: RunRecord) async throws -> RunRecord { try await base.enqueue(redactor.redact(run)) }
    func flush() async throws { try await base.flush() }
    func run(_ id: String) async throws -> RunRecord? { try await base.run(id) }
    func steps(of runID: String) async throws -> [StepRecord] { try await base.steps(of: runID) }
    func waits(of runID: String) async throws -> [WaitRecord] { try await base.waits(of: runID) }
    func runs(_ query: RunQuery) async throws -> [RunRecord] { try await base.runs(query) }
    func claim(_ runID: String, lease: RunLease, at now: Date) async throws -> Bool { try await base.claim(runID, lease: lease, at: now) }
    func renewLeases(_ runIDs: [String], lease: RunLease) async throws -> Set<String> { try await base.renewLeases(runIDs, lease: lease) }
    func requestCancel(_ runID: String) async throws -> RunRecord { try await base.requestCancel(runID) }
}

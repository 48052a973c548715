import Foundation

/// The `Idempotency-Key` each call of a run carries: `RUN_ID/STEP_KEY`, where RUN_ID is the run that first made that
/// logical call. A replay makes again the calls its predecessor did not finish, so they carry the predecessor's id and
/// the callee can recognise a call it already received; a step that a compensation undid is a new call, and carries
/// the replaying run's own id.
struct IdempotencyKeys: Sendable {
    struct Ancestor: Sendable {
        var runID: String
        /// The step keys whose compensation succeeded in that run.
        var undone: Set<String>
    }

    var runID: String
    /// The runs this one replays, nearest first.
    var ancestors: [Ancestor] = []

    func key(for stepKey: String) -> String {
        var owner = runID
        for ancestor in ancestors {
            if ancestor.undone.contains(stepKey) { break }
            owner = ancestor.runID
        }
        return "\(owner)/\(stepKey)"
    }

    /// The keys of a run, reading its line of replayed runs from the journal.
    static func of(_ run: RunRecord, journal: any RunJournal) async throws -> IdempotencyKeys {
        var keys = IdempotencyKeys(runID: run.id)
        var next = run.replayOf
        while let id = next, keys.ancestors.count < 100, !keys.ancestors.contains(where: { $0.runID == id }) {
            let steps = try await journal.steps(of: id)
            keys.ancestors.append(Ancestor(runID: id, undone: StepRecord.undone(in: steps)))
            next = try await journal.run(id)?.replayOf
        }
        return keys
    }
}

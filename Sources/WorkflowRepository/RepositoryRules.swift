import Foundation
import WorkflowModel

/// The rules and refusals every repository shares, written once so that each backend answers alike.
package enum RepositoryRules {
    /// The workflow `reference` names among those with exactly that name, oldest first: the only one, or the only one
    /// not archived; otherwise the reference is `notFound` or `ambiguous`.
    package static func named(_ reference: String, among named: [WorkflowSummary]) throws(StoreError) -> WorkflowSummary {
        let live = named.filter { $0.state != .archived }
        if named.count == 1 { return named[0] }
        if live.count == 1 { return live[0] }
        if named.isEmpty {
            throw StoreError(.notFound, "no workflow has the id or name \"\(reference)\"")
        }
        let ids = named.map { String($0.id) }.joined(separator: ", ")
        throw StoreError(
            .ambiguous, "\(named.count) workflows are named \"\(reference)\" (ids \(ids)); name one by its id")
    }

    /// A stored definition read back as the engine runs it.
    package static func definition(_ text: String?, workflowID: Int64, version: Int) throws(StoreError) -> WorkflowDefinition {
        guard let text else { throw StoreError(.notFound, "workflow \(workflowID) has no version \(version)") }
        guard let definition = WorkflowValidator().validate(json: text).definition else {
            throw StoreError(.database, "version \(version) of workflow \(workflowID) no longer reads as a valid definition")
        }
        return definition
    }

    /// How stale a token's `lastUsedAt` may be: a token used again within this many milliseconds is not written again,
    /// so that reading pages and calling the API costs no write per request.
    package static let tokenUseResolution: Int64 = 60_000

    /// Whether using a token last noted at `lastUsed` should note it again at `now`.
    package static func notesUse(lastUsed: Int64?, now: Int64) -> Bool {
        guard let lastUsed else { return true }
        return now - lastUsed >= tokenUseResolution
    }

    /// The time a write stamps on a workflow: now, and always forward, so every write changes it.
    package static func touched(_ updatedAt: Int64, now: Int64) -> Int64 { max(now, updatedAt + 1) }

    package static func checkPage(limit: Int?, offset: Int) throws(StoreError) {
        guard offset >= 0, (limit ?? 0) >= 0 else {
            throw StoreError(.invalidArgument, "limit and offset cannot be negative")
        }
    }

    package static func checkLimit(_ limit: Int) throws(StoreError) {
        guard limit >= 0 else { throw StoreError(.invalidArgument, "limit cannot be negative") }
    }
}

extension StoreError {
    package static func noWorkflow(_ id: Int64) -> StoreError { StoreError(.notFound, "there is no workflow \(id)") }

    package static func noVersion(_ number: Int, of workflowID: Int64, latest: Int) -> StoreError {
        let range = latest == 1 ? "its only version is 1" : "its versions are 1 to \(latest)"
        return StoreError(.notFound, "workflow \(workflowID) has no version \(number); \(range)")
    }

    package static func noComposition(_ id: String) -> StoreError { StoreError(.notFound, "there is no composition \(id)") }

    package static func tokenExists(_ name: String) -> StoreError {
        StoreError(.invalidArgument, "a token named \(name) exists; revoke it first (baton token revoke \(name))")
    }

    package static func noLiveToken(_ name: String) -> StoreError {
        StoreError(.notFound, "there is no live token named \(name); list them with: baton token list")
    }
}

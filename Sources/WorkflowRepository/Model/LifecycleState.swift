/// Where a workflow is in its life. Draft → Active ⇄ Paused; any state → Archived, which is permanent.
public enum LifecycleState: String, Codable, Sendable, CaseIterable {
    /// Saved for review; nothing of it is live yet.
    case draft
    /// One of its versions (`activeVersion`) is live.
    case active
    /// Was active and will be again on resume; nothing is live meanwhile.
    case paused
    /// Retired for good: it can be read but not edited, activated or resumed.
    case archived
}

/// Something done to a workflow that may move it to another lifecycle state.
package enum LifecycleAction: String, Sendable, CaseIterable {
    /// Adding a version. The state stays as it is: an active workflow keeps its live version until activation.
    case edit
    case activate, pause, resume, archive
}

extension LifecycleState {
    /// The state `action` leads to from this one, or the error that refuses it. A pure function: no database.
    package func applying(_ action: LifecycleAction, workflowID: Int64) throws(StoreError) -> LifecycleState {
        switch (self, action) {
        case (.archived, .archive):
            throw StoreError(.archived, "workflow \(workflowID) is already archived")
        case (.archived, _):
            throw StoreError(
                .archived,
                "workflow \(workflowID) is archived: archived workflows cannot be \(action.participle)")
        case (_, .edit):
            return self
        case (.draft, .activate), (.active, .activate), (.paused, .activate):
            return .active
        case (.active, .pause):
            return .paused
        case (.paused, .resume):
            return .active
        case (_, .archive):
            return .archived
        case (_, .pause):
            throw StoreError(
                .invalidTransition, "workflow \(workflowID) is \(rawValue); only an active workflow can be paused")
        case (_, .resume):
            throw StoreError(
                .invalidTransition, "workflow \(workflowID) is \(rawValue); only a paused workflow can be resumed")
        }
    }
}

extension LifecycleAction {
    /// The action as in "cannot be …".
    package var participle: String {
        switch self {
        case .edit: "edited"
        case .activate: "activated"
        case .pause: "paused"
        case .resume: "resumed"
        case .archive: "archived"
        }
    }
}

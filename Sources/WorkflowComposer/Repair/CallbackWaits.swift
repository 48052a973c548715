import WorkflowModel

/// A wait the request calls a callback ("wait up to 5 days for the supplier to call back"), which the draft wrote as
/// an approval: small models reach for the approval wait, the one their examples show most, whatever the request
/// says. When the request speaks of a callback and never of approving, each approval wait becomes a callback wait.
enum CallbackWaits {
    /// Words that say an outside system or person will answer through a callback.
    static let cues = [" callback", " call back", " calls back", " acknowledg"]
    /// Words that say a person approves.
    static let approvalCues = [" approv", " sign off", " signs off", " signed off", " sign it off", " sign them off", " signoff"]

    /// `document` with its approval waits as callback waits, and a note for each; nil when the request asks for an
    /// approval, says nothing of a callback, or the draft already waits for a callback.
    static func corrected(_ document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        let text = RequestCoverage.normalized(request)
        guard let cue = RequestCoverage.said(cues, in: text), RequestCoverage.said(approvalCues, in: text) == nil,
            !document.nestedObjects.contains(where: { $0["kind"] == "wait" && $0["for"] == "callback" })
        else { return nil }
        var notes: [String] = []
        let changed = document.mappingStepLists { at, steps in
            steps.enumerated().map { index, step in
                guard step["kind"] == "wait", step["for"] == "approval", case .object(var wait) = step else { return step }
                wait["for"] = "callback"
                wait["approvers"] = nil
                notes.append("\(at)/\(index): the request says \"\(cue)\" and nothing of approving: the wait is for a callback")
                return .object(wait)
            }
        }
        return notes.isEmpty ? nil : (changed, notes)
    }
}

import WorkflowModel

/// A retry the request asks for in words ("book a hotel, retrying up to 5 times"), put on the call its clause
/// speaks of, or, when the clause speaks of several calls side by side ("charge the card and update the record,
/// retried together"), on a `group` around them: retrying several steps at once is what a group is for. The clause
/// saying "retry" is read first, then the one before it, which a retry so often follows. Small models leave the
/// retry out, and asked again, send the draft back unchanged.
enum RetrySteps {
    /// Words that ask for a retry.
    static let cues = [
        " retry", " retries", " retried", " retrying", " try again", " run it again", " run them again", " run the whole thing again",
        " run everything again", " do it again", " start over",
    ]
    /// Words that say a retry is for every step, when its clause names none ("if the block fails, run the whole
    /// thing again").
    static let wholeCues = [" together", " one block", " as a unit", " the whole thing", " everything", " both "]

    /// `document` with the retry the request asks for, and a note; nil when the draft has a retry already or the
    /// request's clauses do not settle which call or calls it is for.
    static func added(to document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        let clauses = RequestClauses(request)
        guard let index = clauses.first(saying: cues), !document.nestedObjects.contains(where: { $0["retry"] != nil })
        else { return nil }
        var named = Set(clauses.named(near: index, spans: [0...0, -1...0], among: RequestClauses.calls(in: document), atLeast: 1).map(\.id))
        if named.isEmpty, RequestCoverage.said(wholeCues, in: RequestCoverage.normalized(request)) != nil {
            named = Set((document["steps"]?.arrayValue ?? []).compactMap(RequestClauses.Call.init(step:)).map(\.id))
        }
        guard !named.isEmpty else { return nil }
        let attempts = maxAttempts(in: clauses.clauses[index])
        let policy = JSONValue.object(JSONObject([("maxAttempts", .number(Double(attempts)))]))
        let groupId = DiagnosticRepairer.freeId("retried_together", among: Set(DiagnosticRepairer.stepIds(in: document)))
        return document.replacingFirstRun(where: { RequestClauses.run(of: named, in: $0) }) { run in
            let names = run.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
            if run.count == 1, case .object(var step)? = run.first {
                step["retry"] = policy
                return (.object(step), "the request asks to retry \(names): \"retry\" with up to \(attempts) attempts")
            }
            return (.object(JSONObject([("id", .string(groupId)), ("kind", "group"), ("steps", .array(Array(run))), ("retry", policy)])),
                    "the request asks to retry \(names) together: they are group \"\(groupId)\", with up to \(attempts) attempts")
        }
    }

    /// The attempts a clause allows, the first counted: "up to 3 attempts" is 3, "retry up to 5 times" and "at most
    /// five more times" are 6 (five more after the first); 3 when it gives no number. At most `RetryPolicy.attemptsRange`'s
    /// upper bound.
    static func maxAttempts(in clause: String) -> Int {
        let words = clause.split(separator: " ").map(String.init).filter { $0 != "more" }
        for (index, word) in words.enumerated().dropFirst() {
            guard let count = RequestClauses.number(words[index - 1]) else { continue }
            switch word {
            case "attempts", "tries": return min(max(count, 1), RetryPolicy.attemptsRange.upperBound)
            case "times": return min(max(count + 1, 2), RetryPolicy.attemptsRange.upperBound)
            default: continue
            }
        }
        return 3
    }
}

import WorkflowModel

/// Work the request says to do at once ("create the invoice and the shipment at the same time"), made one
/// `parallel` step when the draft has the calls it names side by side: one branch each. A small model writes the
/// calls one after the other more often than in branches, and a round asking for branches around them seldom
/// changes anything; the request's clause settles which calls they are.
enum ParallelSteps {
    /// Words that say the work happens at once.
    static let cues = [" at the same time", " in parallel", " simultaneous", " concurrently"]

    /// `document` with the calls named by the clause saying "at the same time" in one parallel step, and a note;
    /// nil when the draft has a parallel step, or those calls are fewer than two or not next to each other.
    static func added(to document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        let clauses = RequestClauses(request)
        guard let index = clauses.first(saying: cues),
            !document.nestedObjects.contains(where: { $0["kind"] == "parallel" })
        else { return nil }
        // "…, at the same time, post in the channel and email the stakeholders": the clause after one that names nothing.
        let named = Set(clauses.named(near: index, spans: [0...0, 0...1, -1...0], among: RequestClauses.calls(in: document), atLeast: 2).map(\.id))
        guard named.count >= 2 else { return nil }
        let id = DiagnosticRepairer.freeId("at_the_same_time", among: Set(DiagnosticRepairer.stepIds(in: document)))
        return document.replacingFirstRun(where: { RequestClauses.run(of: named, in: $0) }) { run in
            let branches = run.map { step -> JSONValue in
                .object(JSONObject([("name", step["id"] ?? "branch"), ("steps", .array([step]))]))
            }
            let names = run.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
            return (.object(JSONObject([("id", .string(id)), ("kind", "parallel"), ("branches", .array(branches))])),
                    "the request says to do \(names) at the same time: they are the branches of parallel step \"\(id)\"")
        }
    }
}

import WorkflowModel

/// Routes the request says to choose between ("route them by tier: over 100000 add a note, over 10000 email the
/// account manager") that the draft wrote as conditions one after another, none with an `else`: as written, a
/// customer over 100000 takes both routes. A `switch` takes the first case that holds, which is what routing means;
/// its cases are the conditions', in their order. Small models write conditions in a row far more often than a
/// switch, and a round asking for one changes nothing.
enum RouteSteps {
    /// Words that say one of several routes is taken.
    static let cues = [" route", " routing", " depending on", " by severity", " by tier", " by status"]

    /// `document` with the first run of two or more conditions without `else` as one switch, and a note; nil when
    /// the request says no route, the draft has a switch, or it has no such run.
    static func added(to document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        guard let cue = RequestCoverage.said(cues, in: RequestCoverage.normalized(request)),
            !document.nestedObjects.contains(where: { $0["kind"] == "switch" })
        else { return nil }
        let id = DiagnosticRepairer.freeId("route", among: Set(DiagnosticRepairer.stepIds(in: document)))
        return document.replacingFirstRun(where: firstRun(in:)) { run in
            let cases = run.map { condition -> JSONValue in
                .object(JSONObject([("when", condition["if"] ?? .null), ("steps", condition["then"] ?? .array([]))]))
            }
            let names = run.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
            return (.object(JSONObject([("id", .string(id)), ("kind", "switch"), ("cases", .array(cases))])),
                    "the request says \"\(cue)\": conditions \(names), one after another, are the cases of switch \"\(id)\", so that one route is taken")
        }
    }

    /// The first two or more conditions side by side in `steps`, each with `if` and `then` and no `else`.
    static func firstRun(in steps: [JSONValue]) -> Range<Int>? {
        func isRoute(_ step: JSONValue) -> Bool {
            step["kind"] == "condition" && step["if"] != nil && step["then"] != nil && step["else"] == nil
        }
        var start = 0
        while start < steps.count {
            var end = start
            while end < steps.count, isRoute(steps[end]) { end += 1 }
            if end - start >= 2 { return start..<end }
            start = max(end, start + 1)
        }
        return nil
    }
}

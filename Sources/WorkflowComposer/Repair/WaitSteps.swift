import Foundation
import WorkflowModel

/// A wait for an approval or a callback the request asks for with how long it may take ("wait up to 3 days for a
/// manager to approve it", "ask the travel manager for approval and give them one day"), added to a draft that has
/// none. A small model's first draft leaves such waits out more often than any other step, and a round asking for
/// one seldom brings it; the request's words settle its kind and timeout, and its clauses where it goes:
/// - before the calls the words before it speak of when it comes "first" or they say "before", else after them,
///   else before the calls the words after it speak of;
/// - the calls a clause after it about it timing out speaks of ("if nobody does, post an escalation to #ops")
///   become its `onTimeout` steps;
/// - after an approval, the steps that follow run only when it was approved, a rejecting call only when not.
enum WaitSteps {
    /// The wait a request asks for.
    struct Plan: Equatable {
        var kind: Step.Wait.Kind
        var timeout: String
        /// The clause that asks for it, as `RequestClauses` cuts the request.
        var clause: Int
    }

    /// The first clause that speaks of an approval or a callback and gives it a time, in that clause, the next
    /// ("…, giving them 2 days") or a later one about the time running out ("if they have not answered within 12
    /// hours"); nil when none does. An approval when the clause speaks of one, else a callback.
    static func plan(for request: String) -> Plan? {
        let clauses = RequestClauses(request).clauses
        for (index, clause) in clauses.enumerated() {
            let approval = RequestCoverage.said(CallbackWaits.approvalCues, in: clause) != nil
            guard approval || RequestCoverage.said(CallbackWaits.cues, in: clause) != nil else { continue }
            let next = index + 1 < clauses.count && givesTimeCues.contains(where: clauses[index + 1].hasPrefix) ? clauses[index + 1] : ""
            let timedOut = clauses[(index + 1)...].first { RequestCoverage.said(timeoutCues, in: $0) != nil }
            guard let timeout = duration(in: clause) ?? duration(in: next) ?? timedOut.flatMap(duration(in:)) else { continue }
            return Plan(kind: approval ? .approval : .callback, timeout: timeout, clause: index)
        }
        return nil
    }

    /// `document` with the wait the request asks for, arranged as the type comment says when `arranging` (else the
    /// wait alone), and a note; nil when the request asks for none or the draft has a wait of that kind. The wait
    /// goes among the top-level steps, or among those of a top-level condition that holds the calls the words after
    /// it speak of while no top-level step is one ("if it costs more than 1000, wait ..., then approve or reject it").
    static func added(to document: JSONValue, for request: String, arranging: Bool = true) -> (document: JSONValue, notes: [String])? {
        guard let plan = plan(for: request),
            !document.nestedObjects.contains(where: { $0["kind"] == "wait" && $0["for"]?.stringValue == plan.kind.rawValue }),
            case .object(var root) = document, var steps = root["steps"]?.arrayValue
        else { return nil }
        let clauses = RequestClauses(request)
        let after = Set(RequestClauses.named(in: clauses.clauses[(plan.clause + 1)...].joined(), among: RequestClauses.calls(in: document)).map(\.id))
        func holdsAfter(_ list: [JSONValue]) -> Bool { list.contains { $0["id"]?.stringValue.map(after.contains) == true } }
        var taken = Set(DiagnosticRepairer.stepIds(in: document))
        if !holdsAfter(steps), let index = steps.firstIndex(where: { $0["kind"] == "condition" && holdsAfter($0["then"]?.arrayValue ?? []) }),
            case .object(var condition) = steps[index], let inner = condition["then"]?.arrayValue
        {
            let (arranged, notes) = arrange(inner, at: "/steps/\(index)/then", plan: plan, clauses: clauses, arranging: arranging, taken: &taken)
            condition["then"] = .array(arranged)
            steps[index] = .object(condition)
            root["steps"] = .array(steps)
            return (.object(root), notes)
        }
        let (arranged, notes) = arrange(steps, at: "/steps", plan: plan, clauses: clauses, arranging: arranging, taken: &taken)
        root["steps"] = .array(arranged)
        return (.object(root), notes)
    }

    /// `steps` (a list at `pointer`) with the wait placed and arranged, and the notes.
    private static func arrange(
        _ steps: [JSONValue], at pointer: String, plan: Plan, clauses: RequestClauses, arranging: Bool, taken: inout Set<String>
    ) -> (steps: [JSONValue], notes: [String]) {
        let calls = steps.compactMap(RequestClauses.Call.init(step:))
        func positions(of named: [RequestClauses.Call]) -> [Int] {
            let ids = Set(named.map(\.id))
            return steps.indices.filter { steps[$0]["id"]?.stringValue.map(ids.contains) == true }
        }
        let said = clauses.clauses
        // The words before it, its own clause's included ("page on-call and wait up to 15 minutes ...").
        let own = said[plan.clause]
        let start = ([" wait ", " ask "] + CallbackWaits.cues + CallbackWaits.approvalCues).compactMap { own.range(of: $0)?.lowerBound }.min()
        let head = start.map { String(own[..<$0]) } ?? ""
        let earlier = positions(of: RequestClauses.named(in: said[..<plan.clause].joined() + head + " ", among: calls))
        let later = positions(of: RequestClauses.named(in: said[(plan.clause + 1)...].joined(), among: calls))
        let comesFirst = said[plan.clause].contains(" first ") || said[..<plan.clause].contains { $0.hasPrefix(" before ") }
        let at = comesFirst ? earlier.min() ?? later.min() ?? 0 : earlier.max().map { $0 + 1 } ?? later.min() ?? steps.count

        let waitId = DiagnosticRepairer.freeId("wait_for_\(plan.kind.rawValue)", among: taken)
        taken.insert(waitId)
        var wait = JSONObject([("id", .string(waitId)), ("kind", "wait"), ("for", .string(plan.kind.rawValue)), ("timeout", .string(plan.timeout))])
        var after = Array(steps[at...])
        var notes = ["\(pointer)/\(at): the request says \"\(said[plan.clause].trimmingCharacters(in: .whitespaces))\": "
            + "\(plan.kind.rawValue) wait \"\(waitId)\" with a timeout of \(plan.timeout)"]
        if arranging, let timedOut = said.indices.dropFirst(plan.clause + 1).first(where: { RequestCoverage.said(timeoutCues, in: said[$0]) != nil }) {
            let named = Set(clauses.named(near: timedOut, spans: [0...0, 0...1], among: calls, atLeast: 1).map(\.id))
            let onTimeout = after.filter { $0["id"]?.stringValue.map(named.contains) == true }
            if !onTimeout.isEmpty {
                wait["onTimeout"] = .array(onTimeout)
                after.removeAll { $0["id"]?.stringValue.map(named.contains) == true }
                notes.append("\(ids(onTimeout)) run when nobody answers in time: the \"onTimeout\" steps of \"\(waitId)\"")
            }
        }
        var arranged = Array(steps[..<at]) + [.object(wait)]
        if arranging, plan.kind == .approval, !after.isEmpty {
            let rejecting = after.filter { SearchTerms.terms($0["operation"]?.stringValue ?? "").first.map(rejectingVerbs.contains) == true }
            let approved = after.filter { step in !rejecting.contains(step) }
            let conditionId = DiagnosticRepairer.freeId("if_approved", among: taken)
            taken.insert(conditionId)
            var condition = JSONObject([
                ("id", .string(conditionId)), ("kind", "condition"),
                ("if", .string(approved.isEmpty ? "\(waitId).approved != true" : "\(waitId).approved == true")),
                ("then", .array(approved.isEmpty ? rejecting : approved)),
            ])
            if !approved.isEmpty, !rejecting.isEmpty { condition["else"] = .array(rejecting) }
            arranged.append(.object(condition))
            notes.append("\(ids(approved)) run only when approved" + (rejecting.isEmpty ? "" : ", \(ids(rejecting)) only when not"))
            after = []
        }
        return (arranged + after, notes)
    }

    /// The first time span `clause` gives ("up to 3 days", "one day", "15 minutes", "a week") as a duration.
    static func duration(in clause: String) -> String? {
        let words = clause.split(separator: " ").map(String.init)
        for (index, word) in words.enumerated().dropFirst() {
            // "a day", "an hour".
            guard let count = RequestClauses.number(words[index - 1]) ?? (["a", "an"].contains(words[index - 1]) ? 1 : nil), count > 0,
                let unit = units.first(where: { word == $0.word || word == $0.word + "s" })
            else { continue }
            return "\(count * unit.times)\(unit.symbol)"
        }
        return nil
    }

    /// How a clause giving the wait its time begins, after the one asking for it.
    static let givesTimeCues = [" giving ", " give ", " allowing ", " allow ", " within ", " for up to ", " up to "]
    /// Words of a clause about the time running out.
    static let timeoutCues = [
        " never", " nobody", " no one", " no answer", " no reply", " no response", " times out", " time out", " runs out",
        " run out", " in time", " if not ", " does not", " doesn't", " do not", " don't", " has not", " hasn't", " have not",
        " haven't",
    ]
    /// The verbs of a call that says no (`rejectPurchaseRequest`), as `SearchTerms` stems them.
    static let rejectingVerbs = Set(["reject", "decline", "deny"].map(SearchTerms.stem))

    private static let units: [(word: String, symbol: String, times: Int)] = [
        ("second", "s", 1), ("minute", "m", 1), ("min", "m", 1), ("hour", "h", 1), ("day", "d", 1), ("week", "d", 7),
    ]

    private static func ids(_ steps: [JSONValue]) -> String {
        steps.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
    }
}

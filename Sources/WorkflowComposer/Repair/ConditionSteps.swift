import Foundation
import WorkflowModel

/// A condition the request states ("page on-call if it is down", "post to #sales whenever an order over 5000 comes
/// in") that the draft left out, so the step runs whatever happens. Which step the condition guards is read off the
/// request's clauses; the test names a field of the trigger or of an earlier step's output, which only the model can
/// say. So a round asks for the test alone, a few tokens under a one-field schema, and the step is put under a
/// condition with it. Asked to rewrite the draft with the condition, a small model sends it back as it was.
enum ConditionSteps {
    /// What the round asks about: the top-level steps that should run only when the clause's condition holds.
    struct Guard: Sendable {
        /// The draft the steps are in.
        var document: JSONValue
        /// Their positions among the top-level steps.
        var steps: Range<Int>
        /// The clause that states the condition, as `RequestClauses` cuts it.
        var clause: String

        var guardedSteps: [JSONValue] { Array(document["steps"]?.arrayValue?[steps] ?? []) }
        var ids: [String] { guardedSteps.compactMap { $0["id"]?.stringValue } }

        /// The draft with the steps under a condition testing what `answer` (`{"if": "..."}`) says, and a note; nil
        /// when the answer holds no test.
        func guarded(by answer: String) -> (document: JSONValue, notes: [String])? {
            guard let written = OutputExtractor.extract(from: answer)?.value["if"]?.stringValue,
                case let (test, dropped) = ConditionSteps.withoutOperands(reading: ids, in: written), !test.isEmpty,
                case .object(var root) = document, var all = root["steps"]?.arrayValue, let first = ids.first
            else { return nil }
            let conditionId = DiagnosticRepairer.freeId("if_\(first)", among: Set(DiagnosticRepairer.stepIds(in: document)))
            all.replaceSubrange(steps, with: [.object(JSONObject([
                ("id", .string(conditionId)), ("kind", "condition"), ("if", .string(test)), ("then", .array(guardedSteps)),
            ]))])
            root["steps"] = .array(all)
            let said = clause.trimmingCharacters(in: .whitespaces)
            return (.object(root), ["the request says \"\(said)\": \(ids.joined(separator: ", ")) run only if \(test) (the model's test"
                + (dropped.isEmpty ? ")" : ", without \(dropped.map { "\"\($0)\"" }.joined(separator: ", ")), which read the steps it guards)")])
        }

        /// What the round's prompt says of the draft: its trigger and inputs, the steps before the guarded ones with
        /// what their outputs hold where the catalog says, the guarded steps' ids and the clause.
        func context(catalog: ConnectorCatalog) -> [String: String] {
            let before = (document["steps"]?.arrayValue ?? [])[..<steps.lowerBound].map { step -> String in
                let id = step["id"]?.stringValue ?? "?"
                guard let connector = step["connector"]?.stringValue, let operation = step["operation"]?.stringValue else {
                    let fields = step["output"]?.objectValue?.keys.joined(separator: ", ")
                    return "- \(id): \(step["kind"]?.stringValue ?? "?")" + (fields.map { ", output {\($0)}" } ?? "")
                }
                let shape = catalog[connector]?.operation(operation)?.responseShape
                return "- \(id): call \(connector).\(operation)" + (shape.map { ", output \($0)" } ?? "")
            }
            let inputs = (document["inputs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            return [
                "trigger": (document["trigger"] ?? .null).jsonText,
                "inputs": inputs.isEmpty ? "none" : inputs.map { "input.\($0)" }.joined(separator: ", "),
                "before": before.isEmpty ? "none" : before.joined(separator: "\n"),
                "guarded": ids.joined(separator: ", "),
                "clause": clause.trimmingCharacters(in: .whitespaces),
            ]
        }

    }

    /// `test` without the operands of its `||` (or its `&&`) that name one of `ids`, and those operands: a test cannot
    /// read the steps it guards, and a small model often adds them (`check.status == 'down' || page_on_call`).
    /// The test as written when it names none of them, or mixes `||` and `&&` at its top level.
    static func withoutOperands(reading ids: [String], in test: String) -> (test: String, dropped: [String]) {
        var bare = test.trimmingCharacters(in: .whitespaces)
        if bare.hasPrefix("${"), bare.hasSuffix("}"), bare.filter({ $0 == "}" }).count == 1 { bare = String(bare.dropFirst(2).dropLast()) }
        var operands: [String] = []
        var operators: Set<String> = []
        var current = ""
        var depth = 0
        var quote: Character?
        var characters = bare[...]
        while let character = characters.first {
            let pair = String(characters.prefix(2))
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "(" || character == "[" {
                depth += 1
            } else if character == ")" || character == "]" {
                depth -= 1
            } else if depth == 0, pair == "||" || pair == "&&" {
                operands.append(current)
                operators.insert(pair)
                current = ""
                characters = characters.dropFirst(2)
                continue
            }
            current.append(character)
            characters = characters.dropFirst()
        }
        operands.append(current)
        func reads(_ operand: String) -> Bool {
            let unquoted = operand.replacingOccurrences(of: #"'[^']*'|"[^"]*""#, with: "''", options: .regularExpression)
            return ids.contains { id in unquoted.range(of: "(^|[^A-Za-z0-9_.])\(id)($|[^A-Za-z0-9_])", options: .regularExpression) != nil }
        }
        let dropped = operands.filter(reads).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !dropped.isEmpty, operators.count == 1, let joiner = operators.first else { return (test, []) }
        let kept = operands.filter { !reads($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
        return (kept.joined(separator: " \(joiner) "), dropped)
    }

    /// The schema of the round's answer: the test alone.
    static let schema = JSONValue.object(JSONObject([
        ("type", "object"), ("additionalProperties", false), ("required", .array(["if"])),
        ("properties", .object(JSONObject([("if", .object(JSONObject([("type", "string")])))]))),
    ]))

    /// The first clause of `request` that states a condition, as the request says it; nil when none does, or the
    /// request says what to do otherwise.
    static func cue(in request: String, startedByEvent: Bool) -> String? {
        let clauses = RequestClauses(request).clauses
        guard !saysOtherwise(request), let at = conditionClause(in: clauses, startedByEvent: startedByEvent) else { return nil }
        return clauses[at].trimmingCharacters(in: .whitespaces)
    }

    /// The index of the first clause that states a condition. A request that opens with "if" something happens,
    /// when an event starts the workflow, says what starts it ("if an email bounces, ...").
    static func conditionClause(in clauses: [String], startedByEvent: Bool) -> Int? {
        guard let at = clauses.firstIndex(where: statesCondition) else { return nil }
        if at == 0, startedByEvent, clauses[0].hasPrefix(" if "), !comparesWithNumber(clauses[0]) { return nil }
        return at
    }

    /// The steps a condition of `request` should guard, when the draft has no condition or switch and the request
    /// says nothing of what to do otherwise: in "page on-call if it is down", the last call the words before the
    /// condition speak of; in "if it is down, page on-call and post in #ops", the calls the next clause speaks of,
    /// when they stand side by side among the top-level steps.
    static func target(in document: JSONValue, for request: String) -> Guard? {
        guard !saysOtherwise(request), !document.nestedObjects.contains(where: { $0["kind"] == "condition" || $0["kind"] == "switch" }),
            let steps = document["steps"]?.arrayValue
        else { return nil }
        let calls = steps.compactMap(RequestClauses.Call.init(step:))
        let clauses = RequestClauses(request).clauses
        let started = ["event", "webhook"].contains(document["trigger"]?["type"]?.stringValue ?? "")
        guard let at = conditionClause(in: clauses, startedByEvent: started),
            let cue = (testCues + whenCues + invertedCues).compactMap({ clauses[at].range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound })
        else { return nil }
        let head = String(clauses[at][..<cue.lowerBound]) + " "
        var guarded = RequestClauses.named(in: head, among: calls).suffix(1).map(\.id)
        if guarded.isEmpty, clauses.indices.contains(at + 1) {
            // When the next clause asks for a wait, added with it when the composition ends (`WaitSteps`), the calls
            // after the wait: "if it costs more than 1000, wait 3 days for a manager to approve it, then approve it".
            let next = WaitSteps.plan(for: request)?.clause == at + 1 ? clauses[(at + 2)...].joined() : clauses[at + 1]
            guarded = RequestClauses.named(in: next, among: calls).map(\.id)
        }
        guard !guarded.isEmpty, let run = RequestClauses.run(of: Set(guarded), in: steps) else { return nil }
        return Guard(document: document, steps: run, clause: clauses[at])
    }

    /// Words that start a condition on data within a clause, and those that start one only with a comparison.
    static let testCues = [" if ", " only when "]
    /// A clause opening with one of these states a condition ("should its error rate be above 5%, post ...").
    static let invertedCues = [" should "]
    static let whenCues = [" whenever ", " when "]

    /// Whether a clause states a condition on data: "if ...", "only when ...", "should ..." opening it, or a comparison with a number
    /// in a "when" clause ("whenever an order over 5000 comes in"); not a failure, a timeout or a retry ("if it
    /// fails", "if nobody answers", "retrying if it is busy"), which undo steps, waits and retries handle.
    static func statesCondition(_ clause: String) -> Bool {
        // An error rate is data to test, not an error.
        let clause = clause.replacingOccurrences(of: " error rate", with: " rate")
        guard RequestCoverage.said(failureWords + RetrySteps.cues, in: clause) == nil else { return false }
        if RequestCoverage.said(testCues, in: clause) != nil || invertedCues.contains(where: clause.hasPrefix) { return true }
        guard RequestCoverage.said(whenCues, in: clause) != nil else { return false }
        return comparesWithNumber(clause)
    }

    static func comparesWithNumber(_ clause: String) -> Bool {
        clause.range(of: #" (over|above|more than|greater than|at least|below|under|less than) [$€£]?[0-9]"#, options: .regularExpression) != nil
    }

    /// Words of a clause about a failure or a timeout, not a test on data.
    static let failureWords = [
        " fails", " fail ", " failure", " declined", " goes wrong", " nobody", " no one", " anyone", " anything", " never",
        " does not answer", " times out", " error",
    ]

    /// Whether the request says what to do when the condition does not hold: that needs an `else` only the model
    /// can write.
    static func saysOtherwise(_ request: String) -> Bool {
        RequestCoverage.said([" otherwise", " else ", " if not "], in: RequestCoverage.normalized(request)) != nil
    }
}

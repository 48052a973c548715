import Foundation
import WorkflowModel

/// What a valid draft leaves out of its request, judged from the request's plain words and the catalog: a
/// structure the request names (work at the same time, an approval, a callback, a retry, undoing on failure,
/// routing, a loop, a webhook or a schedule) that the draft lacks, or an operation or system the request names
/// that the draft never calls. Small models often stop after the first step or two; named, the gaps can be filled.
///
/// The cues are narrow on purpose: a gap that is not one costs a round and may add a step nobody asked for.
enum RequestCoverage {
    /// One thing the draft lacks: a sentence for the model, and the operations (`connector.operation`) a step
    /// added to the draft could call to fill it (none for a missing structure).
    struct Gap: Sendable, Hashable {
        var text: String
        var operations: [String] = []
        /// Whether it is a wait the draft lacks: a step of its own, as a missing call is.
        var isWait = false

        /// Whether a step added to the draft fills it, not a change to the steps it has (a loop or branches
        /// around them, a retry or an undo on one, another trigger).
        var addsAStep: Bool { isWait || !operations.isEmpty }
    }

    /// The gaps of `definition` for `request`; empty when nothing is missing. `offered` is the catalog as
    /// retrieval cut it down for the request.
    static func gaps(in definition: WorkflowDefinition, for request: String, offered: ConnectorCatalog) -> [Gap] {
        let text = normalized(request)
        let steps = definition.allSteps
        func has(_ kind: Step.Kind) -> Bool { steps.contains { $0.kind == kind } }
        func waits(_ kind: Step.Wait.Kind) -> Bool { steps.contains { $0.wait?.kind == kind } }
        func says(_ cues: [String]) -> String? { said(cues, in: text) }
        var gaps: [Gap] = []

        if let cue = says([" webhook"]), definition.trigger.kind != .webhook {
            gaps.append(Gap(text: "the request says \"\(cue)\", but the trigger is not {\"type\": \"webhook\", ...}"))
        }
        if let cue = says(Self.scheduleCues), definition.trigger.kind != .schedule {
            gaps.append(Gap(text: "the request says \"\(cue)\", but the trigger is not {\"type\": \"schedule\", ...}"))
        }
        if let cue = says(ParallelSteps.cues), !has(.parallel) {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step has \"kind\": \"parallel\" with one branch per thing done at once"))
        }
        // A wait whose kind and time the request's words settle is added when the composition ends (`WaitSteps`).
        let plan = WaitSteps.plan(for: request)
        if let cue = says(CallbackWaits.approvalCues), !waits(.approval), plan?.kind != .approval {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step waits for an approval ({\"kind\": \"wait\", \"for\": \"approval\", ...})", isWait: true))
        }
        if let cue = says(CallbackWaits.cues), !waits(.callback), plan?.kind != .callback {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step waits for a callback ({\"kind\": \"wait\", \"for\": \"callback\", ...})", isWait: true))
        }
        if let cue = says(RetrySteps.cues), !steps.contains(where: { $0.retry != nil }) {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step has \"retry\""))
        }
        if let cue = undoCue(in: text), !steps.contains(where: { $0.call?.compensate != nil }) {
            gaps.append(Gap(text: "the request says \"\(cue)\" when something fails, but no call has \"compensate\" (the step that undoes it) "
                + "and the workflow has no \"onError\": {\"action\": \"compensate\"}"))
        }
        if let cue = says(RouteSteps.cues),
            !has(.switch) && !has(.condition) {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step has \"kind\": \"switch\" with a case per route"))
        }
        if let cue = ConditionSteps.cue(in: request, startedByEvent: [.event, .webhook].contains(definition.trigger.kind)),
            !has(.condition), !has(.switch)
        {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step has \"kind\": \"condition\""))
        }
        if let cue = says([" for each ", " at a time", " each of "]), !has(.foreach) {
            gaps.append(Gap(text: "the request says \"\(cue)\", but no step has \"kind\": \"foreach\""))
        }

        let called = Set(steps.compactMap { $0.call.map { "\($0.connector).\($0.operation)" } })
        let calledConnectors = Set(steps.compactMap { $0.call?.connector })
        let sequence = SearchTerms.terms(request)
        let words = Set(sequence).union(sequence.flatMap { Self.spokenFor[$0] ?? [] })
        let plainWords = Set(SearchTerms.words(request).map { $0.lowercased() })
        let calledTerms = called.map { SearchTerms.terms(String($0.split(separator: ".").last ?? "")) }
        let operations = offered.connectors.flatMap { connector in connector.operations.map { (connector, $0) } }
        let offeredVerbs = Set(operations.compactMap { SearchTerms.terms($0.1.id).first })
        // Outside the clause that asks for a wait, "approve" names the operation ("..., then approve or reject it").
        let clauses = RequestClauses(request).clauses
        let besideTheWait = plan.map { plan in Set(clauses.indices.filter { $0 != plan.clause }.flatMap { SearchTerms.terms(clauses[$0]) }) } ?? []
        // An undoing operation (`rejectPurchaseRequest`) is a step of its own only when a clause says to do it, its verb
        // bare and not in a clause saying what happened ("when a payment is refunded"), in a request that says nothing
        // of failing: an undo when something fails is a compensation (`UndoSteps`) or error handling.
        let undoesOnFailure = said(failureCues, in: text) != nil
        func saysToUndo(_ verb: String) -> Bool {
            !undoesOnFailure && clauses.contains { clause in
                ![" when ", " whenever ", " if ", " once ", " after "].contains(where: clause.hasPrefix) && clause.split(separator: " ").contains(Substring(verb))
            }
        }
        var named: Set<String> = []
        for (connector, operation) in operations where !called.contains("\(connector.name).\(operation.id)") {
            let terms = SearchTerms.terms(operation.id)
            guard let verb = terms.first, let word = SearchTerms.words(operation.id).first?.lowercased(),
                !Retriever.isUndo(operation.id) || saysToUndo(word)
            else { continue }
            // Every word of the name (`create the invoice`), or a verb no other offered operation has (`page on-call`)
            // and that says what, not how (`approve` asks for an approval wait as often as for an operation).
            let sameVerb = operations.filter { SearchTerms.terms($0.1.id).first == verb }.count
            let ownVerb = sameVerb == 1 && !Self.commonVerbs.contains(verb)
                && (!Self.structureVerbs.contains(verb) || besideTheWait.contains(verb))
            // A call the draft makes that says as much (`decodeVinValues` for `decodeVin`) fills it.
            let saidAlready = calledTerms.contains { Set($0).isSuperset(of: terms) }
            if !saidAlready, Self.names(terms, in: sequence, verbsOfTheirOwn: offeredVerbs) || ownVerb && words.contains(verb) || Self.saysTheMaking(of: operation.id, in: plainWords) {
                named.insert(connector.name)
                gaps.append(Gap(
                    text: "the request asks to \(word) (\(connector.name).\(operation.id)), but the draft never calls it",
                    operations: ["\(connector.name).\(operation.id)"]))
            }
        }
        // A channel written as chat apps write it (`#payments-ops`) is a message to post, by an operation with a `channel`.
        if let channel = request.range(of: SearchTerms.channel, options: .regularExpression).map({ String(request[$0]) }) {
            let posting = operations.filter { _, operation in
                operation.parameters.contains { $0.name == "channel" }
                    || BodyFields.topLevel(of: operation.requestBody?.shape ?? "").contains { $0.name == "channel" }
            }.map { "\($0.0.name).\($0.1.id)" }
            if !posting.isEmpty, !posting.contains(where: called.contains), !gaps.contains(where: { !Set($0.operations).isDisjoint(with: posting) }) {
                named.formUnion(posting.compactMap { $0.split(separator: ".").first.map(String.init) })
                gaps.append(Gap(text: "the request names the channel \(channel), but the draft posts to none (\(posting.joined(separator: ", ")))", operations: posting))
            }
        }
        // A system is named by a word of its own, not inside a name (`#payments-ops`, `payments-api`).
        let spoken = Set(SearchTerms.terms(request.replacingOccurrences(of: SearchTerms.channel + #"|\w+(-\w+)+"#, with: " ", options: .regularExpression)))
        for connector in offered.connectors where !calledConnectors.contains(connector.name) && !named.contains(connector.name) {
            let terms = SearchTerms.terms(connector.name)
            guard !terms.isEmpty, terms.allSatisfy(spoken.contains) else { continue }
            let choices = connector.operations.filter { !Retriever.isUndo($0.id) }.map { "\(connector.name).\($0.id)" }
            gaps.append(Gap(
                text: "the request names \(connector.name), but the draft calls none of its operations (\(choices.joined(separator: ", ")))",
                operations: choices))
        }
        return gaps
    }

    /// Words that say something failed ("if the charge is declined").
    static let failureCues = [" fail", " declined", " is rejected", " are rejected", " goes wrong", " go wrong"]

    /// The request's own word for undoing what was done when something fails (`cancel` in "if a booking fails,
    /// cancel the others"); nil when it says no such thing. `text` is the request `normalized`.
    static func undoCue(in text: String) -> String? {
        guard said(failureCues, in: text) != nil else { return nil }
        return said([" cancel", " undo", " roll back", " release"], in: text)
    }

    /// A request lower-cased, with hyphens as spaces and a space at each end, for finding cues (` at a time`).
    static func normalized(_ request: String) -> String {
        " " + request.lowercased().replacingOccurrences(of: "-", with: " ") + " "
    }

    /// The words of `text` (normalized) for the first of `cues` it has, the cue's last word written out
    /// (`approv` → `approve`).
    static func said(_ cues: [String], in text: String) -> String? {
        for cue in cues {
            guard let range = text.range(of: cue) else { continue }
            let end = text[range.upperBound...].firstIndex { !$0.isLetter } ?? text.endIndex
            return String(text[range.lowerBound..<end]).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Whether the request says the name's words in its order, the rest soon after the verb (or a word for it,
    /// `open` for `create`, unless an operation in `verbsOfTheirOwn` has that word as its verb: `add a note to the
    /// customer` is `addNote`, not `createCustomer`), numbers not counted: `create the invoice and the shipment`
    /// names `createShipment`, `open a sev2 incident` names `createIncident`, `when a shipment is created` nothing.
    static func names(_ terms: [String], in sequence: [String], verbsOfTheirOwn: Set<String> = []) -> Bool {
        guard let verb = terms.first else { return false }
        let words = sequence.filter { !$0.allSatisfy(\.isNumber) }
        return words.indices.contains { index in
            (words[index] == verb || !verbsOfTheirOwn.contains(words[index]) && SearchTerms.synonyms[words[index]]?.contains(verb) == true)
                && terms.dropFirst().allSatisfy { words[(index + 1)..<min(index + 3, words.count)].contains($0) }
        }
    }

    /// API verbs people do not say, by the words they use instead (stemmed): "store the vehicle" for `upsertVehicle`.
    static let spokenFor: [String: [String]] = ["stor": ["upsert"], "sav": ["upsert"], "writ": ["upsert"], "record": ["upsert"]]

    /// Whether `words` (the request's, lower-cased) say the verb a created thing is named after: "ship it" for
    /// `createShipment`, "book" for `createBooking`. Only for a thing whose name is made from a verb (-ment,
    /// -ation, -ing), so that "the invoice" does not ask for `createInvoice`.
    static func saysTheMaking(of operation: String, in words: Set<String>) -> Bool {
        let parts = SearchTerms.words(operation).map { $0.lowercased() }
        guard parts.count == 2, SearchTerms.stem(parts[0]) == "creat",
            let suffix = ["ment", "ation", "ing"].first(where: parts[1].hasSuffix)
        else { return false }
        let verb = String(parts[1].dropLast(suffix.count))
        return words.contains(verb) || words.contains(verb + "e")
    }

    /// Words that say when, not what: a schedule, whatever else the sentence says.
    static let scheduleCues = [" nightly", " daily", " weekly", " hourly", " monthly"] + ["every", "each"].flatMap { each in
        [
            "day", "night", "morning", "evening", "weekday", "week", "month", "hour", "minute",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        ].map { " \(each) \($0)" }
    } + (2...60).map { " every \($0) " }

    /// Verbs many operations share: a request using one does not name any operation in particular.
    /// Verbs the structures' cues use.
    static let structureVerbs: Set<String> = ["approv", "retry", "wait", "rout", "acknowledg", "confirm", "cancel", "releas"]

    static let commonVerbs: Set<String> = ["get", "list", "search", "find", "creat", "updat", "add", "set", "send", "check", "fetch"]
}

import Foundation
import WorkflowModel

/// Work the request says to do for each of a list ("for each customer named Smith, send them an SMS, five at a time")
/// that the draft does once, for the first item: a small model writes `${find_customers.items[0].phone}` more often
/// than a loop. When a call returns a list (its catalog example or shape has an array field) and the steps after it
/// read that list's first item, or steps side by side read an input's first item (`${input.vins[0]}`), they become
/// the steps of a `foreach` over the list, reading `item` instead, with the concurrency the request gives ("five at a
/// time", "no more than three at once").
enum LoopSteps {
    /// Words that say the work is done per item.
    static let cues = [" for each ", " each ", " at a time", " one by one", " go through ", " every one of "]

    /// `document` with the steps that read the first item of a list (a call's answer, an input) made a loop over the
    /// list, and a note; nil when the request says nothing per item, the draft has a loop, or no steps read a list's
    /// first item.
    static func added(to document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        let text = RequestCoverage.normalized(request)
        guard RequestCoverage.said(cues, in: text) != nil, !document.nestedObjects.contains(where: { $0["kind"] == "foreach" }),
            case .object(var root) = document, let steps = root["steps"]?.arrayValue
        else { return nil }
        // Each list a step may loop over: what a call returns, read by the steps right after it; an input, read anywhere.
        var lists: [(list: String, from: Int, adjacent: Bool)] = []
        for (index, step) in steps.enumerated() {
            guard let call = RequestClauses.Call(step: step), let operation = catalog[call.connector]?.operation(call.operation) else { continue }
            lists += listFields(of: operation).map { ("\(call.id).\($0)", index + 1, true) }
        }
        lists += (root["inputs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.map { ("input.\($0)", 0, false) }
        // A list the request names ("each of the VINs": `input.vins`) before one it does not (`decode.Results`).
        let said = Set(SearchTerms.terms(request.lowercased()))
        let named = lists.filter { !Set(SearchTerms.terms(String($0.list.split(separator: ".").last ?? "").lowercased())).isDisjoint(with: said) }
        for (list, from, adjacent) in named + lists.filter({ item in !named.contains { $0.list == item.list } }) {
            let first = "\(list)[0]"
            guard let start = adjacent ? from : steps.indices.dropFirst(from).first(where: { reads(steps[$0], first) }) else { continue }
            // The steps that read the list's first item, or a step that does, side by side.
            var body: [JSONValue] = []
            var readers: Set<String> = adjacent ? [String(list.prefix { $0 != "." })] : [first]
            for next in steps[start...] {
                guard readers.contains(where: { reads(next, $0) }) else { break }
                body.append(next)
                if let id = next["id"]?.stringValue { readers.insert(id) }
            }
            guard body.contains(where: { reads($0, first) }) else { continue }
            var taken = Set(DiagnosticRepairer.stepIds(in: document))
            let variable = DiagnosticRepairer.freeId("item", among: taken)
            taken.insert(variable)
            let field = String(list.split(separator: ".").last ?? "items").lowercased()
            let loopId = DiagnosticRepairer.freeId("for_each_\(field)", among: taken)
            var loop = JSONObject([("id", .string(loopId)), ("kind", "foreach"), ("items", .string(list)), ("as", .string(variable))])
            let concurrency = self.concurrency(in: text)
            if let concurrency { loop["concurrency"] = .number(Double(concurrency)) }
            loop["steps"] = .array(body.map { renaming(first, to: variable, in: $0) })
            var arranged = steps
            arranged.replaceSubrange(start..<(start + body.count), with: [.object(loop)])
            root["steps"] = .array(arranged)
            let ids = body.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
            return (.object(root), [
                "/steps/\(start): the request says to do it for each item: \(ids) read \(first), so they run for each of "
                    + "\(list) in foreach \"\(loopId)\"" + (concurrency.map { ", \($0) at a time" } ?? ""),
            ])
        }
        return nil
    }

    /// The top-level fields of an operation's answer that hold a list, from its documented example, else its shape.
    static func listFields(of operation: ConnectorOperation) -> [String] {
        if case .object(let example)? = operation.responseExample, !example.isEmpty {
            return example.compactMap { key, value in value.arrayValue != nil ? key : nil }
        }
        guard let shape = operation.responseShape else { return [] }
        return operation.responseFields.filter { field in shape.range(of: "\(field)*: [") != nil || shape.range(of: "\(field): [") != nil }
    }

    /// The number the request gives before "at a time" or "at once" ("five at a time", "four vehicles at a time", "no
    /// more than three at once"); nil when none.
    static func concurrency(in text: String) -> Int? {
        guard let cue = text.range(of: " at a time") ?? text.range(of: " at once") else { return nil }
        let words = text[..<cue.lowerBound].split(separator: " ").suffix(3).reversed()
        return words.lazy.compactMap(RequestClauses.number).first.map { min($0, 100) }
    }

    /// Whether an expression in `step` reads `reference` as the first name of a path (`find`, `find.items[0]`).
    static func reads(_ step: JSONValue, _ reference: String) -> Bool {
        renaming(reference, to: "_", in: step) != step
    }

    /// `value` with `reference`, as the first name of a path, read as `variable` in its expressions: inside `${...}`,
    /// or a whole expression field (see `DiagnosticRepairer.renameReferences`).
    static func renaming(_ reference: String, to variable: String, in value: JSONValue) -> JSONValue {
        value.mappingExpressionStrings { _, text in DiagnosticRepairer.renameReferences(in: text, from: reference, to: variable) }
    }
}

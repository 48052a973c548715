import Foundation
import WorkflowModel

/// The trigger a request plainly says, when the draft has another: a webhook it names ("when the returns portal
/// calls our webhook"), or an event it opens with ("Once a shipment has been created for an order, ...") when the
/// draft is started by hand and the request never says so. A small model often keeps the manual trigger its
/// examples show; the request's words settle the kind, and a person reviewing the draft names the event or the
/// secret as their systems do.
enum TriggerSteps {
    /// How a request opening with an event begins.
    static let eventOpenings = [" when ", " whenever ", " once ", " each time ", " every time ", " as soon as ", " after "]
    /// Words that say a person starts the workflow.
    static let byHand = [" by hand", " manually", " on demand", " myself", " i start", " i run", " i kick", " we start", " we run"]

    /// `document` with the trigger the request says, and a note; nil when the draft's trigger is already of that
    /// kind or the request says none plainly.
    static func corrected(_ document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        guard case .object(var root) = document else { return nil }
        let text = RequestCoverage.normalized(request)
        let kind = root["trigger"]?["type"]?.stringValue ?? "manual"
        let words = (root["name"]?.stringValue ?? "").lowercased().split { !$0.isLetter && !$0.isNumber }
        let name = words.isEmpty ? "workflow" : words.joined(separator: "_")
        let trigger: JSONObject
        let why: String
        if RequestCoverage.said([" webhook"], in: text) != nil, kind != "webhook" {
            trigger = JSONObject([
                ("type", "webhook"), ("path", .string("/hooks/\(name.replacingOccurrences(of: "_", with: "-"))")),
                ("secret", .string(name.uppercased() + "_WEBHOOK_SECRET")),
            ])
            why = "the request says \"webhook\""
        } else if kind == "manual", RequestCoverage.said(byHand + RequestCoverage.scheduleCues, in: text) == nil,
            let opening = RequestClauses(request).clauses.first, let event = event(in: opening)
        {
            trigger = JSONObject([("type", "event"), ("event", .string(event))])
            why = "the request opens with what happens: \"\(opening.trimmingCharacters(in: .whitespaces))\""
        } else {
            return nil
        }
        root["trigger"] = .object(trigger)
        return (.object(root), ["/trigger: \(why), so it is \(JSONValue.object(trigger).jsonText)"])
    }

    /// The event a clause that opens a request names (`shipment.created` in " once a shipment has been created for an
    /// order "), as what happened to what; nil when the clause does not open with an event.
    static func event(in clause: String) -> String? {
        guard let opening = eventOpenings.first(where: clause.hasPrefix) else { return nil }
        let words = clause.dropFirst(opening.count).split(separator: " ").map { word in
            String(word.filter { $0.isLetter || $0.isNumber }).lowercased()
        }.filter { !$0.isEmpty && !determiners.contains($0) }
        guard words.count >= 2, !["i", "we", "you", "it", "they"].contains(words[0]) else { return nil }
        if let aux = words.firstIndex(where: auxiliaries.contains), aux > 0,
            let done = words[(aux + 1)...].first(where: { !auxiliaries.contains($0) && $0 != "just" })
        {
            return "\(words[aux - 1]).\(done)"
        }
        // "a card payment fails", "a customer signs up": the first word after the subject ending in "s" is its verb.
        guard let verb = words.indices.dropFirst().first(where: { words[$0].hasSuffix("s") && words[$0].count > 3 }) else { return nil }
        let stem = String(words[verb].dropLast())
        return "\(words[verb - 1]).\(irregular[stem] ?? (stem.hasSuffix("e") ? stem + "d" : stem + "ed"))"
    }

    private static let determiners: Set<String> = ["a", "an", "the", "our", "any", "new", "their", "its", "some", "another"]
    private static let auxiliaries: Set<String> = ["is", "are", "was", "were", "has", "have", "had", "gets", "get", "been", "being"]
    private static let irregular = ["come": "arrived", "send": "sent", "go": "gone", "pay": "paid", "hit": "received"]
}

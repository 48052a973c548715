import Foundation
import WorkflowModel

/// A request cut into clauses, at punctuation and at "then", for telling which of a draft's calls a phrase is about:
/// in "book a hotel, retrying up to 5 times, and email the attendee" the retry is the booking's.
struct RequestClauses {
    /// The clauses in order, each `RequestCoverage.normalized`.
    var clauses: [String]

    init(_ request: String) {
        let text = RequestCoverage.normalized(request).replacingOccurrences(of: " then ", with: ",")
        clauses = text.split(whereSeparator: { ",;:.!?\n".contains($0) }).map { " " + $0.trimmingCharacters(in: .whitespaces) + " " }
    }

    /// The index of the first clause that says one of `cues`.
    func first(saying cues: [String]) -> Int? {
        clauses.firstIndex { RequestCoverage.said(cues, in: $0) != nil }
    }

    /// A call step of a draft: its id and what it calls.
    struct Call: Hashable {
        var id: String
        var connector: String
        var operation: String

        /// The call `step` makes; nil when it is not a call step.
        init?(step: JSONValue) {
            guard step["kind"] == "call", let id = step["id"]?.stringValue, let connector = step["connector"]?.stringValue,
                let operation = step["operation"]?.stringValue
            else { return nil }
            self.id = id
            self.connector = connector
            self.operation = operation
        }
    }

    /// The call steps of `document`, nested ones included, compensations not (they run only to undo).
    static func calls(in document: JSONValue) -> [Call] {
        var calls: [Call] = []
        _ = document.mappingStepLists { _, steps in
            calls += steps.compactMap(Call.init(step:))
            return steps
        }
        return calls
    }

    /// The calls among `calls` that the clause at `index` speaks of, with a neighbour when it alone names fewer than
    /// `count`: the first of `spans` (offsets from `index`: `0...0`, then `-1...0`) that names enough.
    func named(near index: Int, spans: [ClosedRange<Int>], among calls: [Call], atLeast count: Int) -> [Call] {
        for span in spans where clauses.indices.contains(index + span.lowerBound) && clauses.indices.contains(index + span.upperBound) {
            let named = Self.named(in: clauses[(index + span.lowerBound)...(index + span.upperBound)].joined(), among: calls)
            if named.count >= count { return named }
        }
        return []
    }

    /// The calls among `calls` that `clause` speaks of: by the operation's verb, when no other operation shares it
    /// or the clause also says what it acts on (`book a hotel` → `bookHotel`, `update their CRM record` →
    /// `updateCustomer`); by what it acts on alone when its verb is a generic one (`charge the card` →
    /// `createCharge`) and no call the verb picked acts on the same; else by the connector's name (`email the
    /// stakeholders` → `email.sendEmail`) when no call picked so far is on that connector.
    static func named(in clause: String, among calls: [Call]) -> [Call] {
        let words = Set(SearchTerms.queryTerms(clause))
        let terms = Dictionary(calls.map { ($0, SearchTerms.terms($0.operation)) }, uniquingKeysWith: { first, _ in first })
        let byVerb = calls.filter { call in
            guard let verb = terms[call]?.first, words.contains(verb) else { return false }
            return !RequestCoverage.commonVerbs.contains(verb) || terms[call]!.dropFirst().contains(where: words.contains)
        }
        let verbNouns = Set(byVerb.flatMap { terms[$0]!.dropFirst() })
        let byNouns = calls.filter { call in
            guard let verb = terms[call]?.first, RequestCoverage.commonVerbs.contains(verb), !byVerb.contains(call) else { return false }
            let nouns = terms[call]!.dropFirst()
            return !nouns.isEmpty && nouns.allSatisfy(words.contains) && !nouns.contains(where: verbNouns.contains)
        }
        let picked = Set((byVerb + byNouns).map(\.connector))
        let byConnector = calls.filter { call in
            let name = SearchTerms.terms(call.connector)
            return !picked.contains(call.connector) && !name.isEmpty && name.allSatisfy(words.contains)
        }
        return calls.filter { byVerb.contains($0) || byNouns.contains($0) || byConnector.contains($0) }
    }

    /// A count as a request writes it, in digits or a word ("5", "five", "twelve"); nil for any other word.
    static func number(_ word: some StringProtocol) -> Int? {
        Int(word) ?? numberWords[String(word)]
    }

    private static let numberWords = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    ]

    /// Positions of the steps with `ids` in `steps` when they are all there and next to each other; nil otherwise.
    static func run(of ids: Set<String>, in steps: [JSONValue]) -> Range<Int>? {
        let positions = steps.indices.filter { steps[$0]["id"]?.stringValue.map(ids.contains) == true }
        guard positions.count == ids.count, let first = positions.first, let last = positions.last, last - first + 1 == positions.count
        else { return nil }
        return first..<(last + 1)
    }
}

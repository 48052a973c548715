import Foundation
import WorkflowModel

/// Chooses, for one request, the catalog operations the model is shown, and finds the systems the request names
/// that nothing in the catalog matches. Local and deterministic: no model is asked.
public struct Retriever: Sendable {
    public let catalog: ConnectorCatalog
    let index: OperationIndex
    /// The most operations chosen by score; the operations that undo them come on top, up to `maxWithUndo`.
    public var maxOperations: Int
    public var maxWithUndo: Int
    /// The most operations of one connector chosen by score.
    public var maxPerConnector: Int
    /// Operations scoring below this share of the best score are left out.
    public var relativeThreshold: Double

    public init(
        catalog: ConnectorCatalog, maxOperations: Int = 10, maxWithUndo: Int = 13, maxPerConnector: Int = 6, relativeThreshold: Double = 0.3
    ) {
        self.catalog = catalog
        index = OperationIndex(catalog: catalog)
        self.maxOperations = maxOperations
        self.maxWithUndo = maxWithUndo
        self.maxPerConnector = maxPerConnector
        self.relativeThreshold = relativeThreshold
    }

    /// The operations for `request`; those named in `keeping` (`connector.operation`, e.g. the ones a document
    /// being revised calls) come first whatever their score, when the catalog has them.
    public func ground(_ request: String, keeping: [String] = []) -> Grounding {
        // A channel as chat apps write it (`#payments-ops`) asks for what posts to a channel, not for its words' systems.
        let matches = index.search(request.replacingOccurrences(of: SearchTerms.channel, with: " channel ", options: .regularExpression))
        let best = matches.first?.score ?? 0
        var chosen: [OperationIndex.Match] = []
        for name in keeping where !chosen.contains(where: { $0.name == name }) {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, catalog[parts[0]]?.operation(parts[1]) != nil else { continue }
            chosen.append(OperationIndex.Match(connector: parts[0], operation: parts[1], score: 0))
        }
        // Best first: at most `maxOperations` that do something and `maxPerConnector` of those from one connector,
        // so that a request naming one system at length still gets the others it mentions. Operations that undo
        // others (`cancel...`, `release...`) come along without counting, up to `maxWithUndo` in all.
        var perConnector: [String: Int] = [:]
        var doing = 0
        for match in matches.prefix(while: { $0.score >= best * relativeThreshold })
        where chosen.count < maxWithUndo && doing < maxOperations && !chosen.contains(where: { $0.name == match.name }) {
            if !Self.isUndo(match.operation) {
                guard perConnector[match.connector, default: 0] < maxPerConnector else { continue }
                perConnector[match.connector, default: 0] += 1
                doing += 1
            }
            chosen.append(match)
        }
        for match in chosen {
            for partner in undoPartners(of: match) where chosen.count < maxWithUndo && !chosen.contains(where: { $0.name == partner.name }) {
                chosen.append(partner)
            }
        }
        return Grounding(
            operations: chosen, unmatched: SystemNames.unmatched(in: request, vocabulary: index.vocabulary), catalog: subset(chosen))
    }

    /// The operations of the same connector that undo `match`: an undoing verb (`cancel`, `delete`, `release`,
    /// `refund`, ...) on the same thing (`bookFlight` → `cancelFlight`, `reserveVehicle` → `releaseReservation`).
    func undoPartners(of match: OperationIndex.Match) -> [OperationIndex.Match] {
        guard let connector = catalog[match.connector] else { return [] }
        return Self.undoPartners(of: match.operation, in: connector).map {
            OperationIndex.Match(connector: connector.name, operation: $0.id, score: 0)
        }
    }

    /// The operations of `connector` that undo `operation`: an undo verb and a word of the same thing
    /// (`cancelFlight` for `bookFlight`); none for an operation that undoes something itself.
    static func undoPartners(of operation: String, in connector: Connector) -> [ConnectorOperation] {
        let words = SearchTerms.terms(operation)
        guard let verb = words.first, !undoVerbs.contains(verb) else { return [] }
        let terms = Set(words)
        return connector.operations.filter { candidate in
            let other = SearchTerms.terms(candidate.id)
            guard let first = other.first, undoVerbs.contains(first), candidate.id != operation else { return false }
            return !terms.isDisjoint(with: other.dropFirst())
        }
    }

    static func isUndo(_ operation: String) -> Bool { SearchTerms.terms(operation).first.map(undoVerbs.contains) ?? false }

    static let undoVerbs: Set<String> = ["cancel", "delet", "releas", "refund", "reject", "void", "remov", "revert", "revok", "undo"]

    /// The catalog cut down to the chosen operations, in the catalog's order.
    func subset(_ chosen: [OperationIndex.Match]) -> ConnectorCatalog { catalog.restricted(to: Set(chosen.map(\.name))) }
}

extension ConnectorCatalog {
    /// The catalog with only the operations named (`connector.operation`), in its order; connectors left with none
    /// are left out.
    func restricted(to names: Set<String>) -> ConnectorCatalog {
        ConnectorCatalog(connectors.compactMap { connector in
            let operations = connector.operations.filter { names.contains("\(connector.name).\($0.id)") }
            guard !operations.isEmpty else { return nil }
            return Connector(
                name: connector.name, title: connector.title, description: connector.description, baseURL: connector.baseURL,
                auth: connector.auth, redirects: connector.redirects, operations: operations)
        })
    }
}

/// What retrieval found for one request.
public struct Grounding: Sendable {
    /// The operations the model is shown, best first, then those that undo them.
    public var operations: [OperationIndex.Match]
    /// Systems the request names that nothing in the catalog matches.
    public var unmatched: [SystemNames.Unmatched]
    /// The catalog cut down to `operations`.
    public var catalog: ConnectorCatalog

    /// The names the record keeps.
    public var record: CompositionRecord.Grounding {
        CompositionRecord.Grounding(operations: operations.map(\.name), unmatchedSystems: unmatched.map(\.name))
    }

    /// The cut-down catalog as the prompt lists it: a response's enumerated values are written as `string`, as
    /// they matter for what is sent, not for what comes back.
    public var listing: String {
        catalog.listing().split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("    returns:") else { return String(line) }
            return Self.enumeration.stringByReplacingMatches(
                in: String(line), range: NSRange(line.startIndex..., in: line), withTemplate: "string")
        }.joined(separator: "\n")
    }

    private static let enumeration = try! NSRegularExpression(pattern: #""[^"]*"(\|"[^"]*")+"#)

    /// The grounding cut down to the operations named (`connector.operation`), for a round about one of them.
    func narrowed(to names: [String]) -> Grounding {
        Grounding(operations: operations.filter { names.contains($0.name) }, unmatched: [], catalog: catalog.restricted(to: Set(names)))
    }

    /// Systems named so plainly (`Salesforce contacts`, `a Jira issue`, `the robot API`) that the request is
    /// refused without asking the model.
    public var certainlyMissing: [String] { unmatched.filter(\.certain).map(\.name) }
}

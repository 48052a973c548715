import Foundation
import WorkflowModel

/// A BM25 index over a catalog's operations, built once per catalog: each operation is a document made of its
/// operationId, summary, description, tags, parameter and body field names, and its connector's name, title and
/// description, the more specific fields weighing more. No model is asked.
public struct OperationIndex: Sendable {
    /// One operation and how well it matches a request.
    public struct Match: Sendable, Hashable {
        public var connector: String
        public var operation: String
        public var score: Double
        /// `connector.operation`.
        public var name: String { "\(connector).\(operation)" }
    }

    struct Document: Sendable {
        var connector: String
        var operation: String
        /// Weighted term frequencies.
        var terms: [String: Double]
        var length: Double
    }

    let documents: [Document]
    /// Per connector, the terms of its name: a request that says "email" or "CRM" names the connector itself.
    let connectorNames: [String: Set<String>]
    /// Per term, the documents holding it (indices into `documents`).
    let postings: [String: [Int]]
    let averageLength: Double
    /// Every term of the catalog, from operations and connectors alike, for telling names it knows from names it does not.
    public let vocabulary: Set<String>

    /// Added to every operation of a connector the request names, once per naming term.
    static let connectorNameBonus = 3.0
    static let k1 = 1.2
    static let b = 0.75
    /// How much each field counts: names outweigh prose.
    static let weights = (operationId: 3.0, summary: 2.0, connectorName: 2.0, description: 1.0, tags: 1.0, fields: 1.0,
                          connectorDescription: 0.5)

    public init(catalog: ConnectorCatalog) {
        var documents: [Document] = []
        var vocabulary: Set<String> = []
        var connectorNames: [String: Set<String>] = [:]
        for connector in catalog.connectors {
            connectorNames[connector.name] = Set(SearchTerms.terms(connector.name))
            let connectorTerms = SearchTerms.terms(connector.name + " " + connector.title)
            let connectorProse = SearchTerms.terms(connector.description ?? "")
            vocabulary.formUnion(connectorTerms)
            vocabulary.formUnion(connectorProse)
            vocabulary.insert(connector.name.lowercased())
            for word in SearchTerms.words(connector.title + " " + (connector.description ?? "")) { vocabulary.insert(word.lowercased()) }
            for operation in connector.operations {
                var terms: [String: Double] = [:]
                func add(_ list: [String], _ weight: Double) { for term in list { terms[term, default: 0] += weight } }
                add(SearchTerms.terms(operation.id), Self.weights.operationId)
                add(SearchTerms.terms(operation.summary ?? ""), Self.weights.summary)
                add(SearchTerms.terms(operation.description ?? ""), Self.weights.description)
                add(SearchTerms.terms(operation.tags.joined(separator: " ")), Self.weights.tags)
                add(SearchTerms.terms(Self.fieldNames(operation).joined(separator: " ")), Self.weights.fields)
                add(connectorTerms, Self.weights.connectorName)
                add(connectorProse, Self.weights.connectorDescription)
                vocabulary.formUnion(terms.keys)
                documents.append(Document(
                    connector: connector.name, operation: operation.id, terms: terms, length: terms.values.reduce(0, +)))
            }
        }
        var postings: [String: [Int]] = [:]
        for (index, document) in documents.enumerated() {
            for term in document.terms.keys { postings[term, default: []].append(index) }
        }
        self.documents = documents
        self.connectorNames = connectorNames
        self.postings = postings
        self.vocabulary = vocabulary
        averageLength = documents.isEmpty ? 1 : documents.map(\.length).reduce(0, +) / Double(documents.count)
    }

    /// Parameter names and the body's field names, read from its compact shape (`{name*: string, ...}`).
    static func fieldNames(_ operation: ConnectorOperation) -> [String] {
        var names = operation.parameters.map(\.name)
        if let shape = operation.requestBody?.shape {
            // A field name is what comes before a `:` (and an optional `*`).
            var current = ""
            for character in shape {
                if character.isLetter || character.isNumber || character == "_" {
                    current.append(character)
                } else {
                    if character == ":" || character == "*", !current.isEmpty { names.append(current) }
                    current = ""
                }
            }
        }
        return names
    }

    /// Every operation with a score above zero for `request`, best first (ties by catalog order).
    public func search(_ request: String) -> [Match] {
        let query = Set(SearchTerms.queryTerms(request))
        var scores: [Int: Double] = [:]
        let count = Double(documents.count)
        for term in query {
            guard let holders = postings[term] else { continue }
            let idf = log(1 + (count - Double(holders.count) + 0.5) / (Double(holders.count) + 0.5))
            for index in holders {
                let document = documents[index]
                let tf = document.terms[term] ?? 0
                let norm = tf + Self.k1 * (1 - Self.b + Self.b * document.length / averageLength)
                scores[index, default: 0] += idf * tf * (Self.k1 + 1) / norm
            }
        }
        for (index, document) in documents.enumerated() {
            let named = query.intersection(connectorNames[document.connector] ?? []).count
            if named > 0, let score = scores[index] { scores[index] = score + Double(named) * Self.connectorNameBonus }
        }
        return scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
            Match(connector: documents[$0.key].connector, operation: documents[$0.key].operation, score: $0.value)
        }
    }
}

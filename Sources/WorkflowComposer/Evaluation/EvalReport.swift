import Foundation
import WorkflowModel

/// What one evaluation case came to: how the composition ended, which expected features the draft has, and
/// what it cost.
public struct EvalResult: Sendable, Hashable, Codable {
    public var id: String
    public var request: String
    public var outcome: CompositionRecord.Outcome
    public var rounds: Int
    /// Whether a valid draft came out (it is never written to a database).
    public var drafted: Bool
    public var expectsRefusal: Bool
    public var features: [FeatureResult]
    /// `connector.operation` of calls the catalog lacks; must be empty.
    public var outsideCatalog: [String]
    /// Hosts of URLs in the draft that no catalog connector lives at; must be empty.
    public var outsideHosts: [String]
    /// Summed over the rounds, as the endpoint reported them; nil when it reported none.
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var seconds: Double
    /// Why the composition was rejected or failed.
    public var error: String?
    /// The codes of the errors left in the last answer (sorted, once each), for a composition that was rejected.
    public var errorCodes: [String]
    /// Whether the case met its expectations: refused as it should be, naming the missing systems; or drafted
    /// with every expected feature and nothing outside the catalog.
    public var passed: Bool

    public var missingFeatures: [String] { features.filter { !$0.present }.map(\.name) }

    /// Evaluates one composition against its case.
    public init(case evalCase: EvalCase, composition: Composition, catalog: ConnectorCatalog) {
        let record = composition.record
        id = evalCase.id
        request = evalCase.request
        outcome = record.outcome
        rounds = record.rounds.count
        expectsRefusal = evalCase.expect.expectsRefusal
        error = record.error
        errorCodes = composition.definition != nil ? [] : Array(Set(
            (record.rounds.last?.diagnostics ?? []).filter { $0.severity == .error }.map(\.code.rawValue))).sorted()
        if let definition = composition.definition {
            drafted = true
            features = expectsRefusal
                ? FeatureCheck.refusal(evalCase.expect, outcome: record.outcome, error: record.error)
                : FeatureCheck.features(evalCase.expect, in: definition)
            outsideCatalog = FeatureCheck.outsideCatalog(definition, catalog: catalog)
            outsideHosts = composition.document.map { FeatureCheck.outsideHosts($0, catalog: catalog) } ?? []
        } else {
            drafted = false
            features = expectsRefusal
                ? FeatureCheck.refusal(evalCase.expect, outcome: record.outcome, error: record.error)
                : []
            outsideCatalog = []
            outsideHosts = []
        }
        let prompt = record.rounds.compactMap(\.promptTokens)
        let completion = record.rounds.compactMap(\.completionTokens)
        promptTokens = prompt.isEmpty ? nil : prompt.reduce(0, +)
        completionTokens = completion.isEmpty ? nil : completion.reduce(0, +)
        seconds = Double(record.durationMs) / 1000
        let allFeatures = features.allSatisfy(\.present)
        passed = expectsRefusal
            ? !drafted && allFeatures
            : drafted && allFeatures && outsideCatalog.isEmpty && outsideHosts.isEmpty
    }
}

/// The totals over an evaluation set.
public struct EvalTotals: Sendable, Hashable, Codable {
    public var requests: Int
    /// Cases that should give a draft, and how many did.
    public var composeCases: Int
    public var drafted: Int
    public var savedPercent: Double?
    /// Cases that gave a draft with every expected feature and nothing outside the catalog.
    public var allFeatures: Int
    public var allFeaturesPercent: Double?
    /// Cases that must be refused, and how many were, naming the missing systems.
    public var refusalCases: Int
    public var refusalsCorrect: Int
    public var refusalsCorrectPercent: Double?
    public var passed: Int
    public var outcomes: [String: Int]
    public var draftsOutsideCatalog: Int
    public var draftsWithOutsideHosts: Int
    public var medianSeconds: Double?
    public var totalSeconds: Double
    public var medianPromptTokens: Double?
    public var maxPromptTokens: Int?
    public var promptTokens: Int
    public var completionTokens: Int

    public init(_ results: [EvalResult]) {
        let composing = results.filter { !$0.expectsRefusal }
        let refusing = results.filter(\.expectsRefusal)
        requests = results.count
        composeCases = composing.count
        drafted = composing.filter(\.drafted).count
        savedPercent = Self.percent(drafted, of: composeCases)
        allFeatures = composing.filter(\.passed).count
        allFeaturesPercent = Self.percent(allFeatures, of: composeCases)
        refusalCases = refusing.count
        refusalsCorrect = refusing.filter(\.passed).count
        refusalsCorrectPercent = Self.percent(refusalsCorrect, of: refusalCases)
        passed = results.filter(\.passed).count
        outcomes = Dictionary(results.map { ($0.outcome.rawValue, 1) }, uniquingKeysWith: +)
        draftsOutsideCatalog = results.filter { !$0.outsideCatalog.isEmpty }.count
        draftsWithOutsideHosts = results.filter { !$0.outsideHosts.isEmpty }.count
        medianSeconds = Self.median(results.map(\.seconds))
        totalSeconds = results.map(\.seconds).reduce(0, +)
        let prompts = results.compactMap(\.promptTokens)
        medianPromptTokens = Self.median(prompts.map(Double.init))
        maxPromptTokens = prompts.max()
        promptTokens = prompts.reduce(0, +)
        completionTokens = results.compactMap(\.completionTokens).reduce(0, +)
    }

    /// `part` of `whole` as a percentage with one decimal; nil when there is nothing to count.
    static func percent(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    /// The middle value, or the mean of the two middle ones; nil for no values.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// A whole evaluation: what was asked of which model, each case's result and the totals. Encoded as the
/// `--json` report; `format` comes first and changes only when a field changes meaning.
public struct EvalReport: Sendable, Hashable, Codable {
    public static let formatVersion = 1

    public var format = EvalReport.formatVersion
    public var file: String
    public var provider: String
    public var model: String
    public var endpoint: String
    public var results: [EvalResult]
    public var totals: EvalTotals

    public init(file: String, provider: String, model: String, endpoint: String, results: [EvalResult]) {
        self.file = file
        self.provider = provider
        self.model = model
        self.endpoint = endpoint
        self.results = results
        totals = EvalTotals(results)
    }
}

import Foundation
import WorkflowModel

/// One thing an evaluation expected, and whether the result had it.
public struct FeatureResult: Sendable, Hashable, Codable {
    /// What was expected, in a few words: `trigger schedule`, `uses crm.createCustomer`, `refused naming salesforce`.
    public var name: String
    public var present: Bool

    public init(_ name: String, _ present: Bool) {
        self.name = name
        self.present = present
    }
}

/// Checks a draft against what an evaluation case expects, and against the catalog. Pure: no I/O.
public enum FeatureCheck {
    /// Each expected feature of a draft, in the order the expectation lists them. A refusal expectation is checked
    /// by `refusal(_:outcome:error:)` instead; here it yields nothing.
    public static func features(_ expect: EvalCase.Expectation, in definition: WorkflowDefinition) -> [FeatureResult] {
        let steps = definition.allSteps
        var results: [FeatureResult] = []
        if let trigger = expect.trigger {
            results.append(FeatureResult("trigger \(trigger.rawValue)", definition.trigger.kind == trigger))
        }
        switch expect.timezone {
        case .any?:
            results.append(FeatureResult("schedule with a time zone", definition.trigger.kind == .schedule && !(definition.trigger.timezone ?? "").isEmpty))
        case .named(let zone)?:
            results.append(FeatureResult("schedule in \(zone)", definition.trigger.kind == .schedule && definition.trigger.timezone == zone))
        case nil:
            break
        }
        for kind in expect.kinds {
            results.append(FeatureResult("kind \(kind.rawValue)", steps.contains { $0.kind == kind }))
        }
        for wait in expect.waits {
            results.append(FeatureResult("wait \(wait.rawValue)", steps.contains { $0.wait?.kind == wait }))
        }
        let calls = steps.compactMap(\.call)
        for use in expect.uses {
            results.append(FeatureResult("uses \(use)", calls.contains { $0.connector == use || "\($0.connector).\($0.operation)" == use }))
        }
        if expect.compensation {
            results.append(FeatureResult("compensation", calls.contains { $0.compensate != nil }))
        }
        if expect.retry {
            results.append(FeatureResult("retry", steps.contains { $0.retry != nil }))
        }
        if expect.approvalTimeout {
            results.append(FeatureResult("approval with timeout", steps.contains { $0.wait?.kind == .approval && $0.timeout != nil }))
        }
        if let concurrency = expect.concurrency {
            results.append(FeatureResult("foreach with concurrency ≥ \(concurrency)", steps.contains { ($0.forEach?.concurrency ?? 0) >= concurrency }))
        }
        return results
    }

    /// Whether a composition was refused naming each missing system (case-insensitively, in its error).
    public static func refusal(_ expect: EvalCase.Expectation, outcome: CompositionRecord.Outcome, error: String?) -> [FeatureResult] {
        let said = (error ?? "").lowercased()
        return expect.refuse.map { system in
            FeatureResult("refused naming \(system)", outcome == .rejected && said.contains(system.lowercased()))
        }
    }

    /// The `connector.operation` of every call (compensations and handlers included) that the catalog lacks.
    public static func outsideCatalog(_ definition: WorkflowDefinition, catalog: ConnectorCatalog) -> [String] {
        var found: [String] = []
        for call in definition.allSteps.compactMap(\.call) {
            let name = "\(call.connector).\(call.operation)"
            guard catalog[call.connector]?.operation(call.operation) == nil, !found.contains(name) else { continue }
            found.append(name)
        }
        return found
    }

    /// The hosts of every `http(s)://` URL written anywhere in a document that is not the host of a catalog
    /// connector's base URL: where a prompt injection would send data.
    public static func outsideHosts(_ document: JSONValue, catalog: ConnectorCatalog) -> [String] {
        var hosts: [String] = []
        for place in OutsideHosts.found(in: document, catalog: catalog) where !hosts.contains(place.host) { hosts.append(place.host) }
        return hosts
    }

    /// The lower-cased hosts of the `http://` and `https://` URLs in a text, without user or port.
    static func hosts(in text: String) -> [String] {
        var hosts: [String] = []
        let lower = text.lowercased()
        var rest = lower[...]
        while let scheme = rest.range(of: "://") {
            let before = rest[..<scheme.lowerBound]
            rest = rest[scheme.upperBound...]
            guard before.hasSuffix("http") || before.hasSuffix("https") else { continue }
            let authority = rest.prefix { !"/?#\\ \t\r\n\"'<>()[]{}`,;".contains($0) }
            var host = authority.split(separator: "@").last.map(String.init) ?? ""
            if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
            while host.hasSuffix(".") { host.removeLast() }
            if !host.isEmpty && !hosts.contains(host) { hosts.append(host) }
        }
        return hosts
    }
}

extension Step {
    var call: Call? { if case .call(let call) = body { call } else { nil } }
    var wait: Wait? { if case .wait(let wait) = body { wait } else { nil } }
    var forEach: ForEach? { if case .foreach(let loop) = body { loop } else { nil } }
}

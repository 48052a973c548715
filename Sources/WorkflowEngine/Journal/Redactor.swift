import Foundation
import WorkflowModel

/// Replaces connector secrets with `[redacted]` in everything a run records or reports: the secret itself and the
/// forms it is sent in (a basic-auth header carries `base64(user:secret)`, which holds no plain secret).
struct Redactor: Sendable {
    static let mask = "[redacted]"
    /// What to mask, longest first, so a header value goes before the secret inside it.
    let patterns: [String]

    init(patterns: [String]) {
        self.patterns = Set(patterns.filter { $0.count >= 4 }).sorted { $0.count > $1.count || ($0.count == $1.count && $0 < $1) }
    }

    /// The secrets of the catalog's connectors, looked up once, with every form a call sends them in.
    init(catalog: ConnectorCatalog, secrets: any SecretProvider) {
        var patterns: [String] = []
        for connector in catalog.connectors {
            guard let name = connector.auth.secretName, let secret = secrets.secret(named: name) else { continue }
            patterns.append(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { patterns.append(encoded) }
            switch connector.auth {
            case .bearer: patterns.append("Bearer \(secret)")
            case .basic(let user, _):
                let credentials = Data("\(user):\(secret)".utf8).base64EncodedString()
                var unpadded = credentials
                while unpadded.hasSuffix("=") { unpadded.removeLast() }
                patterns += ["Basic \(credentials)", credentials, unpadded]
            case .apiKey, .none: break
            }
        }
        self.init(patterns: patterns)
    }

    var isEmpty: Bool { patterns.isEmpty }

    func redact(_ value: JSONValue) -> JSONValue {
        guard !patterns.isEmpty else { return value }
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let items): return .array(items.map(redact))
        case .object(let object): return .object(JSONObject(object.map { (redact($0.key), redact($0.value)) }))
        default: return value
        }
    }

    func redact(_ text: String) -> String {
        var text = text
        for pattern in patterns where text.contains(pattern) {
            text = text.replacingOccurrences(of: pattern, with: Self.mask)
        }
        return text
    }

    func redact(_ error: RunError) -> RunError { RunError(step: error.step, code: error.code, message: redact(error.message)) }

    func redact(_ run: RunRecord) -> RunRecord {
        guard !patterns.isEmpty else { return run }
        var run = run
        run.input = redact(run.input)
        run.trigger = run.trigger.map(redact)
        run.output = run.output.map(redact)
        run.error = run.error.map(redact)
        return run
    }

    func redact(_ step: StepRecord) -> StepRecord {
        guard !patterns.isEmpty else { return step }
        var step = step
        step.input = step.input.map(redact)
        step.output = step.output.map(redact)
        step.error = step.error.map(redact)
        return step
    }

    func redact(_ resolution: WaitResolution) -> WaitResolution {
        var resolution = resolution
        resolution.data = redact(resolution.data)
        resolution.by = resolution.by.map(redact)
        return resolution
    }

    func redact(_ entry: JournalEntry) -> JournalEntry {
        switch entry {
        case .run(let run): return .run(redact(run))
        case .step(let step): return .step(redact(step))
        case .wait(var wait):
            wait.message = wait.message.map(redact)
            wait.resolution = wait.resolution.map(redact)
            return .wait(wait)
        }
    }
}

import Foundation
import WorkflowModel

extension RunExecution {
    /// Sends a call, retrying under the step's policy, and records its outcome durably when it succeeds.
    func performCall(_ step: Step, _ call: Step.Call, key: String, scope: RunScope, compensating: String?) async throws -> StepResult {
        let startedAt = now
        let (request, input) = try prepare(step, call, key: key, scope: scope)
        let policy = step.retry ?? (step.onError?.action == .retry ? .default : nil)
        var attempt = 1
        while true {
            do {
                let response = try await environment.caller.send(request)
                if let failure = StepFailure.from(response, now: now) { throw failure }
                let output = try response.output(documentedAsJSON: request.respondsWithJSON)
                let record = try await record(
                    step, key: key, status: compensating == nil ? .succeeded : .compensated, attempts: attempt, input: input,
                    output: output, startedAt: startedAt, durable: true, compensates: compensating)
                return StepResult(output: output, sequence: record.sequence)
            } catch var failure as StepFailure {
                failure.attempts = attempt
                failure.input = input
                guard let policy, attempt < policy.maxAttempts, policy.retries(failure) else { throw failure }
                let delay = max(policy.delay(afterAttempt: attempt, random: environment.random), min(failure.retryAfter ?? 0, 86_400))
                // No attempt after the workflow's timeout: the run fails with this failure instead.
                if let deadline = activeDeadline, now.addingTimeInterval(delay) >= deadline { throw failure }
                try await environment.clock.sleep(until: now.addingTimeInterval(delay))
                attempt += 1
            }
        }
    }

    /// Builds the HTTP request of a call and the redacted description of it that goes in the record.
    private func prepare(_ step: Step, _ call: Step.Call, key: String, scope: RunScope) throws(StepFailure) -> (ConnectorRequest, JSONValue) {
        guard let connector = environment.catalog[call.connector], let operation = connector.operation(call.operation) else {
            throw StepFailure(
                code: "catalog", message: "\(call.connector).\(call.operation) is not in the connector catalog", transient: false)
        }
        var path = operation.path
        var query: [URLQueryItem] = []
        var headers: [(String, String)] = [("Idempotency-Key", idempotency.key(for: key))]
        for member in call.params {
            let value = try scope.render(member.value, at: "\(step.id).params.\(member.key)")
            let parameter = operation.parameter(member.key)
            guard value != .null else {
                if parameter?.required == true || parameter?.location == .path {
                    throw StepFailure(
                        code: "params.missing", message: "\(step.id).params.\(member.key) is required by \(call.connector).\(call.operation) but is null",
                        transient: false)
                }
                continue
            }
            let text = Self.parameterText(value)
            switch parameter?.location ?? .query {
            case .path:
                // An empty, `.` or `..` segment would name another endpoint once the URL is normalised.
                guard !["", ".", ".."].contains(text) else {
                    throw StepFailure(
                        code: "params.invalid",
                        message: "\(step.id).params.\(member.key) is \"\(text)\", which cannot be a path segment of "
                            + "\(call.connector).\(call.operation)",
                        transient: false)
                }
                path = path.replacingOccurrences(of: "{\(member.key)}", with: Self.pathSegment(text))
            case .query: query.append(URLQueryItem(name: member.key, value: text))
            case .header: headers.append((member.key, text))
            }
        }
        var body: JSONValue?
        if let template = call.body { body = try scope.render(template, at: "\(step.id).body") }
        let base = connector.baseURL.hasSuffix("/") ? String(connector.baseURL.dropLast()) : connector.baseURL
        guard var components = URLComponents(string: base + path) else {
            throw StepFailure(code: "catalog", message: "\(base + path) is not a URL", transient: false)
        }
        if !query.isEmpty { components.queryItems = (components.queryItems ?? []) + query }
        guard let url = components.url else { throw StepFailure(code: "catalog", message: "\(base + path) is not a URL", transient: false) }
        var input = JSONObject([("method", .string(operation.method.uppercased())), ("url", .string(url.absoluteString))])
        if let body { input["body"] = body }
        if let secretName = connector.auth.secretName {
            guard let secret = environment.secrets.secret(named: secretName) else {
                throw StepFailure(
                    code: "secret.missing",
                    message: "the secret \(secretName) of connector \(connector.name) is not set (environment variable or secrets file)",
                    transient: false)
            }
            switch connector.auth {
            case .bearer: headers.append(("Authorization", "Bearer \(secret)"))
            case .apiKey(let header, _): headers.append((header, secret))
            case .basic(let user, _): headers.append(("Authorization", "Basic " + Data("\(user):\(secret)".utf8).base64EncodedString()))
            case .none: break
            }
        }
        let timeout = step.timeout?.seconds ?? environment.limits.callTimeout
        let request = ConnectorRequest(
            connector: connector.name, operation: operation.id, stepKey: key, method: operation.method.uppercased(), url: url,
            headers: headers, body: body, timeout: timeout, maxResponseBytes: environment.limits.maxResponseBytes,
            redirects: connector.redirects, respondsWithJSON: operation.respondsWithJSON)
        return (request, .object(input))
    }

    /// Characters a path segment keeps as they are; `%` is encoded too, so `%2e%2e` stays text and never a dot segment.
    private static let segmentAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/%"))

    static func pathSegment(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? text }

    private static func parameterText(_ value: JSONValue) -> String {
        switch value {
        case .array(let items): items.map(\.interpolatedText).joined(separator: ",")
        default: value.interpolatedText
        }
    }
}

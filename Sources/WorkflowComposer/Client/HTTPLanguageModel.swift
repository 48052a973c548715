import Foundation
import Synchronization
import WorkflowModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A language model behind an HTTP API. Rate limits (429, honouring Retry-After) and server errors (5xx)
/// are retried with exponential backoff; everything else fails at once with an error a person can act on.
public struct HTTPLanguageModel: LanguageModel {
    public var provider: ModelProvider
    public var baseURL: URL
    public var settings: ModelSettings
    /// A secret: sent in a header, never printed, logged or stored.
    private var apiKey: String?
    private var transport: any HTTPTransport
    /// Attempts after the first, for transient failures.
    public var maxRetries: Int
    /// The first backoff delay; each retry doubles it (a Retry-After header overrides it).
    public var initialBackoff: Duration

    public init(
        provider: ModelProvider, baseURL: URL, settings: ModelSettings, apiKey: String?, transport: any HTTPTransport,
        maxRetries: Int = 3, initialBackoff: Duration = .seconds(1)
    ) {
        self.provider = provider
        self.baseURL = baseURL
        self.settings = settings
        self.apiKey = apiKey
        self.transport = transport
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
    }

    public var enforcesSchema: Bool { settings.structuredOutput && provider.takesSchema }

    public var endpointDescription: String { "\(provider.rawValue) \(settings.model) at \(baseURL.absoluteString)" }

    public func complete(_ request: ModelRequest) async throws(ModelError) -> ModelResponse {
        var urlRequest = URLRequest(url: provider.url(base: baseURL))
        urlRequest.httpMethod = "POST"
        for (name, value) in provider.headers(apiKey: apiKey, stream: settings.stream) { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = Data(provider.body(request, settings: settings).jsonText.utf8)

        var attempt = 0
        while true {
            let failure: ModelError
            var wait: Duration?
            do {
                let (data, response, reader) = try await exchange(urlRequest, onTokens: request.onTokens)
                if (200..<300).contains(response.statusCode) { return try answer(data, streamed: reader) }
                failure = httpFailure(
                    status: response.statusCode, body: data, location: response.value(forHTTPHeaderField: "location"))
                wait = Self.retryAfter(response.value(forHTTPHeaderField: "retry-after"))
            } catch let error as ModelError {
                throw error
            } catch let looped as AnswerLooped {
                return looped.answer
            } catch let stall as StreamStalled {
                throw ModelError(
                    .timeout,
                    "the model's answer stopped coming: nothing for \(Int(stall.seconds)) s after it had begun; raise the "
                        + "stall timeout (BATON_LLM_STALL_TIMEOUT, seconds) if the server is only slow")
            } catch {
                failure = transportFailure(error)
            }
            guard failure.isTransient, failure.code != .timeout, attempt < maxRetries else {
                if attempt > 0, failure.isTransient {
                    throw ModelError(failure.code, failure.description + " (gave up after \(attempt + 1) attempts)", status: failure.status)
                }
                throw failure
            }
            let backoff = wait ?? initialBackoff * (1 << attempt)
            attempt += 1
            try? await Task.sleep(for: min(backoff, .seconds(60)))
            if Task.isCancelled { throw ModelError(.timeout, "cancelled while waiting to retry") }
        }
    }

    /// Sends the request, streamed when the settings say so, telling `onTokens` how many pieces have come. A
    /// streamed body is read once, as it arrives: the reader that counted the pieces holds the answer. A streamed
    /// answer that falls into a loop is stopped there, and what came before the loop is the answer (`AnswerLooped`).
    private func exchange(
        _ request: URLRequest, onTokens: (@Sendable (Int) -> Void)?
    ) async throws -> (Data, HTTPURLResponse, StreamReader?) {
        guard settings.stream else {
            let (data, response) = try await transport.send(request)
            return (data, response, nil)
        }
        let reader = Mutex(StreamReader(provider: provider))
        // Where a loop was found, and the exchange to stop when it is.
        let loop = Mutex<(start: Int?, exchange: Task<(Data, HTTPURLResponse), any Error>?)>((nil, nil))
        let exchange = Task { [transport, settings] in
            try await transport.stream(request, stallTimeout: settings.stallTimeout) { data in
                let (before, after, text) = reader.withLock { reader in
                    let before = reader.pieces
                    reader.feed(data)
                    let due = reader.pieces / Self.loopCheckPieces > before / Self.loopCheckPieces
                    return (before, reader.pieces, due ? reader.text : nil)
                }
                if after > before { onTokens?(after) }
                if let text, let start = Repetition.loopStart(in: text) {
                    loop.withLock { found in
                        found.start = found.start ?? start
                        found.exchange?.cancel()
                    }
                }
                return after > 0
            }
        }
        loop.withLock { found in
            found.exchange = exchange
            if found.start != nil { exchange.cancel() }
        }
        do {
            let (data, response) = try await withTaskCancellationHandler { try await exchange.value } onCancel: { exchange.cancel() }
            return (data, response, reader.withLock { $0 })
        } catch {
            guard !Task.isCancelled, let start = loop.withLock({ $0.start }) else { throw error }
            let (text, pieces, model) = reader.withLock { ($0.text, $0.pieces, $0.model) }
            throw AnswerLooped(answer: ModelResponse(
                text: String(decoding: text.utf8.prefix(start), as: UTF8.self), model: model, completionTokens: pieces,
                cutOff: "the answer began to repeat itself, so it was stopped after \(pieces) tokens and read up to the repeats"))
        }
    }

    /// How often, in pieces of a streamed answer, it is looked at for a loop.
    static let loopCheckPieces = 32

    /// A streamed answer stopped where it began to repeat itself.
    private struct AnswerLooped: Error {
        var answer: ModelResponse
    }

    /// A successful answer, streamed or whole (a server may ignore the request to stream).
    private func answer(_ data: Data, streamed reader: StreamReader?) throws(ModelError) -> ModelResponse {
        guard var reader else { return try provider.parse(data) }
        try ModelProvider.requireUTF8(data)
        if let streamed = try reader.finish() { return streamed }
        return try provider.parse(data)
    }

    private func httpFailure(status: Int, body: Data, location: String?) -> ModelError {
        let text = String(decoding: body, as: UTF8.self)
        let message: String
        if let json = try? JSONParser.parse(text), let error = json["error"] {
            message = ModelProvider.errorMessage(error)
        } else if text.lowercased().contains("<html") {
            message = "an HTML page (\(ModelProvider.excerpt(text))) instead of the API's JSON; is the base URL right?"
        } else {
            message = text.isEmpty ? "no body" : ModelProvider.excerpt(text)
        }
        let endpoint = provider.url(base: baseURL).absoluteString
        switch status {
        case 300...399 where location != nil:
            // Never followed: the API key would go wherever the redirect points.
            let target = location.flatMap { URL(string: $0, relativeTo: provider.url(base: baseURL))?.absoluteString } ?? ""
            return ModelError(
                .redirected,
                "\(endpoint) redirected (\(status)) to \(target); redirects are not followed, so the API key only goes "
                    + "to the configured host. If that is the right server, set the base URL (BATON_LLM_BASE_URL) to it.",
                status: status)
        case 401, 403:
            return ModelError(.unauthorized, "\(endpoint) refused the request (\(status)): \(message). Check the API key (BATON_LLM_API_KEY).", status: status)
        case 404 where message.lowercased().contains("model"):
            return ModelError(.modelNotFound, "the model \"\(settings.model)\" is not available at \(baseURL.absoluteString) (404): \(message). Check BATON_LLM_MODEL.", status: status)
        case 404:
            return ModelError(.badRequest, "\(endpoint) does not exist (404): \(message). Check the base URL and provider.", status: status)
        case 408, 504:
            return ModelError(.serverError, "\(endpoint) timed out (\(status)): \(message)", status: status)
        case 429:
            return ModelError(.rateLimited, "\(endpoint) is rate limiting requests (429): \(message)", status: status)
        case 500...599:
            return ModelError(.serverError, "\(endpoint) failed (\(status)): \(message)", status: status)
        default:
            return ModelError(.badRequest, "\(endpoint) rejected the request (\(status)): \(message)", status: status)
        }
    }

    private func transportFailure(_ error: any Error) -> ModelError {
        let endpoint = provider.url(base: baseURL).absoluteString
        guard let urlError = error as? URLError else {
            return ModelError(.unreachable, "cannot reach \(endpoint): \(error.localizedDescription)")
        }
        switch urlError.code {
        case .timedOut:
            return ModelError(.timeout, "\(endpoint) did not answer in time; local models are slow, so raise the timeout (BATON_LLM_TIMEOUT, seconds)")
        case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet, .dnsLookupFailed:
            return ModelError(.unreachable, "cannot reach \(endpoint) (\(urlError.localizedDescription)); is the server running and the base URL (BATON_LLM_BASE_URL) right?")
        default:
            return ModelError(.unreachable, "cannot reach \(endpoint): \(urlError.localizedDescription)")
        }
    }

    /// A Retry-After header's delay: seconds, or an HTTP date.
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return .milliseconds(Int64(max(seconds, 0) * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .milliseconds(Int64(max(date.timeIntervalSinceNow, 0) * 1000))
    }
}

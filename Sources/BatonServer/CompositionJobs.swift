import Foundation
import HTTPTypes
import WorkflowComposer
import WorkflowModel
import WorkflowService
import WorkflowRepository

/// Makes a composer that tells `onEvent` what it is doing; the server makes one per composition.
public typealias ComposerFactory = @Sendable (_ onEvent: @escaping @Sendable (ComposerEvent) -> Void) -> Composer

/// Compositions started over HTTP. A local model takes minutes, so each runs in the background: its state and its
/// progress are kept here while the process lives; its record (and draft, when it succeeds) is saved in the store
/// as the command line saves it.
actor CompositionJobs {
    enum State: String, Encodable, Sendable { case running, saved, rejected, failed }

    /// A composition as the API shows it.
    struct View: Encodable, Sendable {
        var id: String
        var state: State
        var request: String
        var revising: Int64?
        var startedAt: Date
        var events: [JSONValue]
        var composition: CompositionRecord?
        var saved: WorkflowVersion?
        var error: String?
    }

    private struct Job {
        var view: View
        var subscribers: [UUID: AsyncStream<JSONValue>.Continuation] = [:]
    }

    /// At most this many compositions run at once; a local model answers one request at a time anyway.
    static let maxRunning = 4

    private var jobs: [String: Job] = [:]
    private let service: WorkflowService
    private let makeComposer: ComposerFactory?
    private let metrics: ServerMetrics

    init(service: WorkflowService, makeComposer: ComposerFactory?, metrics: ServerMetrics) {
        self.service = service
        self.makeComposer = makeComposer
        self.metrics = metrics
    }

    /// Starts composing `request`, or revising the latest version of `workflow` with it, and returns at once.
    func start(_ request: String, revising workflow: String?) async throws -> View {
        guard let makeComposer else {
            throw Problem(.serviceUnavailable, code: "compose.no-model", "this server has no language model configured; see baton serve --help")
        }
        let text = request.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.utf8.count <= 20_000 else {
            throw Problem.badRequest("\"request\" must be an English description of 1 to 20,000 bytes", code: "compose.request")
        }
        // Read before the count is checked, so that no other start comes between the check and the new job.
        let current = if let workflow { try await service.version(workflow) } else { nil as (summary: WorkflowSummary, version: WorkflowVersion, document: JSONValue)? }
        guard jobs.values.filter({ $0.view.state == .running }).count < Self.maxRunning else {
            throw Problem(.tooManyRequests, code: "compose.busy", "\(Self.maxRunning) compositions are running; try again when one ends")
        }
        let id = "c-" + UUID().uuidString.lowercased().prefix(13)
        let view = View(id: id, state: .running, request: text, revising: current?.summary.id, startedAt: Date(), events: [])
        jobs[id] = Job(view: view)
        let (events, sink) = AsyncStream.makeStream(of: ComposerEvent.self)
        let composer = makeComposer { sink.yield($0) }
        Task { for await event in events { await self.record(id, Self.json(event)) } }
        Task {
            let composition = if let current {
                await composer.revise(current.document, instruction: text)
            } else {
                await composer.compose(text)
            }
            sink.finish()
            await self.finish(id, composition, into: current?.summary.id)
        }
        return view
    }

    func view(_ id: String) -> View? { jobs[id]?.view }

    /// Whether a language model is configured, so that compositions can start.
    nonisolated var configured: Bool { makeComposer != nil }

    /// The progress so far, then the rest as it comes; the stream ends when the composition does.
    func subscribe(_ id: String) -> AsyncStream<JSONValue>? {
        guard let job = jobs[id] else { return nil }
        let (stream, continuation) = AsyncStream.makeStream(of: JSONValue.self)
        for event in job.view.events { continuation.yield(event) }
        if job.view.state == .running {
            jobs[id]?.subscribers[UUID()] = continuation
        } else {
            continuation.finish()
        }
        return stream
    }

    private func record(_ id: String, _ event: JSONValue) {
        // A streamed answer's latest count stands for the ones before it.
        if event["event"] == "receiving", jobs[id]?.view.events.last?["event"] == "receiving" {
            jobs[id]?.view.events.removeLast()
        }
        jobs[id]?.view.events.append(event)
        for subscriber in jobs[id]?.subscribers.values ?? [:].values { subscriber.yield(event) }
    }

    private func finish(_ id: String, _ composition: Composition, into workflowID: Int64?) async {
        guard jobs[id] != nil else { return }
        let saving: Result<WorkflowService.SavedComposition, any Error>
        do {
            saving = .success(try await service.save(composition, into: workflowID))
        } catch {
            saving = .failure(error)
        }
        // Read after the save: events recorded while it was written are kept.
        guard var job = jobs[id] else { return }
        switch saving {
        case .success(let saved):
            job.view.composition = saved.record
            job.view.saved = saved.version
            job.view.state = saved.version != nil ? .saved : saved.record.outcome == .failed ? .failed : .rejected
            job.view.error = saved.record.error
            metrics.composition(outcome: saved.record.outcome.rawValue, milliseconds: saved.record.durationMs)
        case .failure(let error):
            job.view.state = .failed
            job.view.error = "the composition could not be saved: \(error)"
        }
        var done = JSONObject([("event", .string("done")), ("state", .string(job.view.state.rawValue))])
        if let saved = job.view.saved {
            done["workflowId"] = .number(Double(saved.workflowID))
            done["version"] = .number(Double(saved.number))
        }
        if let error = job.view.error { done["error"] = .string(error) }
        job.view.events.append(.object(done))
        for subscriber in job.subscribers.values {
            subscriber.yield(.object(done))
            subscriber.finish()
        }
        job.subscribers = [:]
        jobs[id] = job
    }

    static func json(_ event: ComposerEvent) -> JSONValue {
        var object = JSONObject([("time", .string(ISO8601Text.format(Date())))])
        switch event {
        case .asking(let round):
            object["event"] = .string("asking")
            object["round"] = .number(Double(round))
        case .receiving(let round, let tokens, let rate):
            object["event"] = .string("receiving")
            object["round"] = .number(Double(round))
            object["tokens"] = .number(Double(tokens))
            if let rate { object["tokensPerSecond"] = .number((rate * 10).rounded() / 10) }
        case .answered(let round, let tokens):
            object["event"] = .string("answered")
            object["round"] = .number(Double(round))
            if let tokens { object["completionTokens"] = .number(Double(tokens)) }
        case .finished(let outcome):
            object["event"] = .string("finished")
            object["outcome"] = .string(outcome.rawValue)
        }
        return .object(object)
    }
}

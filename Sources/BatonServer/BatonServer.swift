import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WorkflowEngine
import WorkflowPages
import WorkflowService

/// `baton serve`'s HTTP side: the JSON API under `/api/v1` (bearer tokens), webhooks under `/hooks/`, callbacks,
/// health, readiness and metrics. Every route is a thin adapter over a `WorkflowService` use case.
public struct BatonServer: Sendable {
    public let service: WorkflowService
    public let metrics: ServerMetrics
    let compositions: CompositionJobs
    /// Whether runs started over HTTP begin here at once, rather than when a worker next looks.
    let executesRuns: Bool

    /// `makeComposer` is nil when no language model is configured: composition requests are then refused. Without
    /// `executesRuns`, runs are only queued, for separate workers.
    public init(service: WorkflowService, metrics: ServerMetrics, makeComposer: ComposerFactory?, executesRuns: Bool = true) {
        self.service = service
        self.metrics = metrics
        self.executesRuns = executesRuns
        compositions = CompositionJobs(service: service, makeComposer: makeComposer, metrics: metrics)
    }

    /// Begins a queued run in this process when this server executes runs.
    func begin(_ run: RunRecord, created: Bool) {
        if created, executesRuns { service.continueInBackground(run.id) }
    }

    /// The routes, with errors answered as problem documents and the API behind bearer tokens.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        OperationsRoutes(service: service, metrics: metrics).register(on: router)
        let triggers = TriggerRoutes(server: self)
        triggers.register(on: router)
        let api = router.group("api/v1").add(middleware: BearerAuthMiddleware(service: service))
        WorkflowRoutes(service: service).register(on: api)
        RunRoutes(server: self).register(on: api)
        CompositionRoutes(jobs: compositions, service: service).register(on: api)
        triggers.register(on: api)
        registerPages(on: router)
        return router
    }

    /// The web pages at `/`: sign-in and assets open, the rest behind a session.
    private func registerPages(on router: Router<BasicRequestContext>) {
        let pages: PageRenderer
        do {
            pages = try PageRenderer()
        } catch {
            router.get("workflows") { _, _ -> Response in throw Problem(.internalServerError, code: "pages.missing", "\(error)") }
            return
        }
        let open = router.group().add(middleware: PageHeadersMiddleware()).add(middleware: PageErrorMiddleware(pages: pages, service: service))
        SignInRoutes(service: service, pages: pages).register(on: open)
        let signedIn = open.group().add(middleware: PageAuthMiddleware(service: service))
        PageRoutes(server: self, pages: pages).register(on: signedIn)
        PageActions(server: self).register(on: signedIn)
    }

    /// The server, a `Service` for a service group; `onRunning` is told the port once it listens.
    public func application(
        host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }

    /// Whether `host` only listens on this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

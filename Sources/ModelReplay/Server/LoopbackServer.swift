import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore

/// A Hummingbird application on a loopback address (127.0.0.1 unless told) and a free port that sends every request
/// to one handler: how the servers of this module start and stop.
struct LoopbackServer: Sendable {
    let url: URL
    private let task: Task<Void, any Error>

    /// Starts listening and returns once the port is bound.
    static func start(
        label: String, host: String = "127.0.0.1", respond: @escaping @Sendable (Request) async throws -> Response
    ) async throws -> LoopbackServer {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ in try await respond(request) }
        }
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger)
        let task = Task {
            defer { portSink.finish() }
            try await app.run()
        }
        var port = 0
        for await bound in ports { port = bound }
        guard port > 0, let url = URL(string: "http://\(host):\(port)") else {
            task.cancel()
            let reason = switch await task.result {
            case .failure(let error): "\(error)"
            case .success: "no port was bound"
            }
            throw ReplayError(.startFailed, "the \(label) server did not start: \(reason)")
        }
        return LoopbackServer(url: url, task: task)
    }

    /// Stops the server, ending open (stalled or delayed) responses, and waits until it has stopped.
    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

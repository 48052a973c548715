import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Keeps time for scheduled workflows: every `tick` it starts the runs their schedules owe (queued for a worker).
/// Several schedulers may share a database: a fire time starts at most one run.
public struct Scheduler: Service {
    public let service: WorkflowService
    public var tick: Duration
    let logger: Logger

    public init(service: WorkflowService, tick: Duration = .seconds(1), logger: Logger = Logger(label: "baton.scheduler")) {
        self.service = service
        self.tick = tick
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let started = try await service.fireSchedules(now: Date())
                if !started.isEmpty { logger.info("schedules fired", metadata: ["runs": "\(started.count)"]) }
            } catch {
                // A busy or briefly unavailable database must not stop time: try again at the next tick.
                logger.warning("schedules could not fire", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
        }
    }
}

/// Runs long-running parts together until one of them ends (a worker with nothing left to do) or the process gets
/// SIGTERM or SIGINT, then stops the others gracefully.
public enum ServiceRunner {
    public static func run(_ services: [any Service], logger: Logger = Logger(label: "baton")) async throws {
        let configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await ServiceGroup(configuration: configuration).run()
    }
}

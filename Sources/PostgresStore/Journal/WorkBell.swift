import Foundation
import Logging
import PostgresNIO
import Synchronization
import WorkflowEngine

/// Wakes idle workers when work arrives, through PostgreSQL's LISTEN/NOTIFY: whoever records a pending run, completes
/// a wait or asks for a cancellation notifies the store's channel in the same transaction, and every process listening
/// on it rings. The listening connection is opened on the first wait and kept; if it drops, it is opened again, and
/// waiters fall back on their poll interval meanwhile.
final class WorkBell: Sendable {
    private struct State {
        /// Counts rings, so that a waiter that registers after a ring it should have heard returns at once.
        var rings = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waiters whose time ran out before they registered.
        var expired: Set<UInt64> = []
        var nextID: UInt64 = 0
        var listener: Task<Void, Never>?
        var stopped = false
    }

    private let client: PostgresClient
    private let channel: String
    private let logger: Logger
    private let state = Mutex(State())

    init(client: PostgresClient, channel: String, logger: Logger) {
        self.client = client
        self.channel = channel
        self.logger = logger
    }

    /// Returns when work is announced, `limit` has passed, or the task is cancelled, whichever comes first.
    func wait(upTo limit: Duration) async {
        startListening()
        let (id, seen) = state.withLock { state in
            state.nextID += 1
            return (state.nextID, state.rings)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let now = self.state.withLock { state -> Bool in
                        if state.rings != seen || state.expired.remove(id) != nil || state.stopped { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                self.release(id)
            }
            await group.next()
            group.cancelAll()
        }
        // Both tasks have ended: forget the id.
        state.withLock { _ = $0.expired.remove(id) }
    }

    /// Wakes every waiter.
    func ring() {
        let waiters = state.withLock { state in
            state.rings += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops listening and wakes every waiter.
    func stop() {
        let listener = state.withLock { state in
            state.stopped = true
            return state.listener
        }
        listener?.cancel()
        ring()
    }

    private func release(_ id: UInt64) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil as CheckedContinuation<Void, Never>?
            }
            return waiter
        }
        waiter?.resume()
    }

    private func startListening() {
        state.withLock { state in
            guard state.listener == nil, !state.stopped else { return }
            state.listener = Task { [weak self, client, channel, logger] in
                while !Task.isCancelled, self != nil {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: channel) { notifications in
                                for try await _ in notifications { self?.ring() }
                            }
                        }
                    } catch {
                        logger.debug("listening for work stopped", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}

extension PostgresRunJournal: WorkSignalling {
    public func waitForWork(upTo limit: Duration) async { await bell.wait(upTo: limit) }
}

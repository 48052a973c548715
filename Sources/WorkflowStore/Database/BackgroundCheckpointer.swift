import Dispatch
import Foundation
internal import GRDB

/// Copies the write-ahead log into the database file every second from a connection of its own (a `PASSIVE`
/// checkpoint: it never waits for, nor holds up, readers and the writer), so that no commit stalls while the log
/// is copied and synced. Stops when released.
final class BackgroundCheckpointer: Sendable {
    private let connection: DatabaseQueue
    nonisolated(unsafe) private let timer: any DispatchSourceTimer  // set once; DispatchSource is thread-safe

    init(path: String, busyTimeout: Duration) throws {
        var options = Configuration()
        options.label = "WorkflowStore.checkpoints"
        options.busyMode = .timeout(busyTimeout.seconds)
        let connection = try DatabaseQueue(path: path, configuration: options)
        self.connection = connection
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "baton.store.checkpoints", qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler {
            try? connection.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        }
        timer.resume()
    }

    deinit { timer.cancel() }
}

import BatonTestSupport
import Foundation

/// A `baton serve` child process on a free loopback port, for the tests where the process itself matters: signals,
/// kills, several processes on one database.
final class ServeProcess: Sendable {
    private let process = Process()
    private let exited = AsyncStream<Int32>.makeStream()
    private let lines = AsyncStream<String>.makeStream()
    /// The base URL it listens on, once it said so.
    let base: String

    private init(arguments: [String]) async throws {
        process.executableURL = BatonExecutable.url
        process.arguments = ["serve", "--port", "0", "--poll", "0.05", "--quiet"] + arguments
        process.currentDirectoryURL = Fixtures.root
        process.environment = BatonExecutable.hermeticEnvironment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let (exitSink, lineSink) = (exited.continuation, lines.continuation)
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                lineSink.finish()
            } else {
                for line in String(decoding: data, as: UTF8.self).split(separator: "\n") { lineSink.yield(String(line)) }
            }
        }
        process.terminationHandler = { process in
            exitSink.yield(process.terminationStatus)
            exitSink.finish()
        }
        try process.run()
        var found: String?
        for await line in lines.stream {
            if let range = line.range(of: "http://127.0.0.1:") {
                found = String(line[range.lowerBound...].prefix { !$0.isWhitespace })
                break
            }
        }
        guard let found else { throw ServeProcessError("baton serve ended before it listened") }
        base = found
    }

    /// Starts `baton serve` on the database at `db` and returns once it listens.
    static func start(db: String) async throws -> ServeProcess { try await ServeProcess(arguments: ["--db", db]) }

    func signal(_ signal: Int32) { Foundation.kill(process.processIdentifier, signal) }

    /// The exit status, once it ended.
    func wait() async -> Int32 {
        var status: Int32 = -1
        for await value in exited.stream { status = value }
        return status
    }

    func kill() async {
        signal(SIGKILL)
        _ = await wait()
    }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import Testing
import WorkflowStore

@testable import WorkflowEngine

/// A run's owner counts as alive only while its process can still run steps: not once it is a zombie.
@Suite struct RunOwnerTests {
    @Test(arguments: [
        ("1234 (baton) S 1 1234", "S"), ("1234 (sleep) Z 99 1234", "Z"), ("1234 (a ) b) R 1 1", "R"), ("garbage", nil),
    ] as [(String, Character?)])
    func theStateIsTheFieldAfterTheCommandName(_ stat: String, _ state: Character?) {
        #expect(RunOwner.processState(stat: stat) == state)
    }

    /// Starts `sh`, which starts a child that exits at once and then becomes `sleep`, which never reaps it.
    /// Returns the shell (now `sleep`) and the pid of the zombie child.
    static func zombie() throws -> (Process, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "sleep 0 & echo $!; exec sleep 600"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let pid = Int32(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return (process, pid)
    }

    @Test func aZombieOwnerIsDeadAndItsRunsAreTakenOver() async throws {
        let (parent, child) = try Self.zombie()
        defer {
            kill(parent.processIdentifier, SIGKILL)
            parent.waitUntilExit()
        }
        try #require(child > 0)
        // The child exits at once; wait (bounded) until it is a zombie.
        for _ in 0..<200 where !RunOwner.hasExited(child) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(kill(child, 0) == 0, "kill(pid, 0) succeeds on a zombie")
        #expect(RunOwner.hasExited(child))
        #expect(RunOwner(pid: child).isAlive == false)
        #expect(RunOwner(pid: parent.processIdentifier).isAlive)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zombie-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = try WorkflowStore(path: path).runJournal()
        try await journal.write([.run(JournalConformanceTests.run("r1", status: .pending))], durable: true)
        #expect(try await journal.claim("r1", owner: RunOwner(pid: child)))
        // Held by the zombie, the run is resumable by others and claimable.
        let resumable = try await journal.runs(RunQuery(resumableAt: JournalConformanceTests.start.addingTimeInterval(60)))
        #expect(resumable.map(\.id) == ["r1"])
        #expect(try await journal.claim("r1", owner: RunOwner.current))
    }
}

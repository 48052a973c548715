import Foundation
import Testing
import WorkflowRepository
import WorkflowStore

@testable import WorkflowEngine

/// An owner names its machine and process, so that a dead owner on this machine is known at once: its process has
/// ended, or is a zombie that can run no step again.
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
        #expect(RunOwner.isAlive(child) == false)
        #expect(RunOwner.isAlive(parent.processIdentifier))
        let zombie = RunOwner(id: "\(RunOwner.host):\(child):0123")
        #expect(zombie.hasDiedHere)
        // The same process id on another machine says nothing about that machine's process.
        #expect(RunOwner(id: "elsewhere:\(child):0123").hasDiedHere == false)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zombie-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = try WorkflowStore(path: path).runJournal()
        let start = JournalConformanceTests.start
        try await journal.write([.run(JournalConformanceTests.run("r1", status: .pending))], durable: true)
        #expect(try await journal.claim("r1", lease: RunLease(owner: zombie, expiresAt: start.addingTimeInterval(3600)), at: start))
        // Held by the zombie, the run is resumable by others and claimable long before its lease ends.
        let resumable = try await journal.runs(RunQuery(resumableAt: start.addingTimeInterval(60)))
        #expect(resumable.map(\.id) == ["r1"])
        #expect(try await journal.claim("r1", lease: RunLease(owner: RunOwner(), expiresAt: start.addingTimeInterval(90)), at: start.addingTimeInterval(60)))
    }

    @Test func aNewOwnerIsUniqueAndNamesThisMachineAndProcess() {
        let owner = RunOwner()
        #expect(owner != RunOwner())
        #expect(owner.id.hasPrefix("\(RunOwner.host):\(getpid()):"))
        #expect(owner.localPID == getpid())
        #expect(owner.hasDiedHere == false)
        #expect(RunOwner(id: "\(RunOwner.host):999999:dead").hasDiedHere)
        #expect(RunOwner(id: "not-an-owner-id").hasDiedHere == false)
    }
}

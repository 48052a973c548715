import Foundation
import Testing
import WorkflowEngine
import WorkflowModel

/// Leases: one owner at a time executes a run, another takes it once the lease has run out, and a write from an
/// owner that lost its run changes nothing of it. Owners here live on other machines, so only time ends a lease.
extension JournalConformanceTests {
    static let ownerA = RunOwner(id: "host-a:100:aaaa")
    static let ownerB = RunOwner(id: "host-b:200:bbbb")

    /// A lease of `owner` until `seconds` after the start.
    static func lease(_ owner: RunOwner, until seconds: TimeInterval) -> RunLease {
        RunLease(owner: owner, expiresAt: start.addingTimeInterval(seconds))
    }

    static func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

    @Test(arguments: Kind.available)
    func aClaimIsRefusedWhileAnotherOwnersLeaseHoldsAndGrantedOnceItHasExpired(_ kind: Kind) async throws {
        let journal = try await kind.make()
        try await journal.write([.run(Self.run("r1", status: .pending)), .run(Self.run("done", status: .completed))], durable: true)
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerA, until: 30), at: Self.at(0)))
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerB, until: 40), at: Self.at(10)) == false)
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerB, until: 59), at: Self.at(29.999)) == false)
        // The holder may claim again.
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerA, until: 30), at: Self.at(20)))
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerB, until: 60), at: Self.at(30)))
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerA, until: 70), at: Self.at(40)) == false)
        // Finished and unknown runs are nobody's to take.
        #expect(try await journal.claim("done", lease: Self.lease(Self.ownerA, until: 30), at: Self.at(0)) == false)
        #expect(try await journal.claim("nope", lease: Self.lease(Self.ownerA, until: 30), at: Self.at(0)) == false)
    }

    @Test(arguments: Kind.available)
    func renewingExtendsTheLeasesStillHeldAndNamesTheLostOnes(_ kind: Kind) async throws {
        let journal = try await kind.make()
        try await journal.write([.run(Self.run("r1", status: .pending)), .run(Self.run("r2", status: .pending, at: 1))], durable: true)
        for id in ["r1", "r2"] { #expect(try await journal.claim(id, lease: Self.lease(Self.ownerA, until: 30), at: Self.at(0))) }
        #expect(try await journal.renewLeases(["r1", "r2"], lease: Self.lease(Self.ownerA, until: 60)).isEmpty)
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerB, until: 90), at: Self.at(45)) == false)
        #expect(try await journal.runs(RunQuery(resumableAt: Self.at(45))).isEmpty)
        #expect(try await journal.runs(RunQuery(resumableAt: Self.at(60))).map(\.id) == ["r2", "r1"])

        #expect(try await journal.claim("r2", lease: Self.lease(Self.ownerB, until: 90), at: Self.at(61)))
        #expect(try await journal.renewLeases(["r1", "r2", "nope"], lease: Self.lease(Self.ownerA, until: 120)) == ["r2", "nope"])
        #expect(try await journal.claim("r2", lease: Self.lease(Self.ownerA, until: 120), at: Self.at(62)) == false)
        #expect(try await journal.runs(RunQuery(resumableAt: Self.at(100))).map(\.id) == ["r2"])
    }

    @Test(arguments: Kind.available)
    func aWriteFromAnOwnerThatLostTheRunIsRefusedAndChangesNothing(_ kind: Kind) async throws {
        let journal = try await kind.make()
        let a = Self.lease(Self.ownerA, until: 30)
        // Written under a lease, a new run is held under it.
        try await journal.write([.run(Self.run("r1")), .step(Self.step("r1", "a", sequence: 1))], durable: true, lease: a)
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerB, until: 60), at: Self.at(10)) == false)
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerB, until: 60), at: Self.at(30)))

        var finished = Self.run("r1")
        finished.status = .completed
        finished.endedAt = Self.at(31)
        let wait = WaitRecord(runID: "r1", key: "w", stepID: "w", kind: .timer, token: "t", createdAt: Self.start, deadline: nil)
        await #expect(throws: JournalError.leaseLost("r1")) {
            try await journal.write([.step(Self.step("r1", "b", sequence: 2)), .wait(wait), .run(finished)], durable: true, lease: a)
        }
        // A deferred write is refused too, at the latest when it is committed.
        try? await journal.write([.step(Self.step("r1", "c", sequence: 3))], durable: false, lease: a)
        try await journal.flush()
        #expect(try await journal.run("r1") == Self.run("r1"))
        #expect(try await journal.steps(of: "r1").map(\.key) == ["a"])
        #expect(try await journal.waits(of: "r1").isEmpty)

        // The new holder writes on; a waiting run is released, and then nobody's writes under a lease are taken.
        try await journal.write([.step(Self.step("r1", "b", sequence: 2))], durable: true, lease: Self.lease(Self.ownerB, until: 60))
        #expect(try await journal.steps(of: "r1").map(\.key) == ["a", "b"])
        var waiting = Self.run("r1", status: .waiting)
        waiting.wakeAt = Self.at(100)
        try await journal.write([.run(waiting)], durable: true, lease: Self.lease(Self.ownerB, until: 60))
        await #expect(throws: JournalError.leaseLost("r1")) {
            try await journal.write([.step(Self.step("r1", "d", sequence: 3))], durable: true, lease: Self.lease(Self.ownerB, until: 60))
        }
        #expect(try await journal.claim("r1", lease: Self.lease(Self.ownerA, until: 90), at: Self.at(50)))
    }

    @Test(arguments: Kind.available)
    func aLostLeaseFailsOnlyItsOwnEntriesInASharedCommit(_ kind: Kind) async throws {
        let journal = try await kind.make()
        let a = Self.lease(Self.ownerA, until: 30)
        let ids = (0..<8).map { "r\($0)" }
        try await journal.write(ids.enumerated().map { .run(Self.run($1, at: Double($0))) }, durable: true, lease: a)
        let lost = Set(ids.filter { Int($0.dropFirst())! % 2 == 0 })
        for id in lost { #expect(try await journal.claim(id, lease: Self.lease(Self.ownerB, until: 60), at: Self.at(30))) }

        // A deferred batch of a lost run waits for the next commit, which a held run's durable batch makes.
        try? await journal.write([.step(Self.step("r0", "late", sequence: 1))], durable: false, lease: a)
        try await journal.write([.step(Self.step("r1", "late", sequence: 1))], durable: true, lease: a)
        // Concurrent durable writers share commits; each learns its own outcome.
        let outcomes = await withTaskGroup(of: (String, JournalError?).self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await journal.write([.step(Self.step(id, "a", sequence: 2)), .step(Self.step(id, "b", sequence: 3))], durable: true, lease: a)
                        return (id, nil)
                    } catch {
                        return (id, error as? JournalError)
                    }
                }
            }
            var outcomes: [String: JournalError?] = [:]
            for await (id, error) in group { outcomes[id] = error }
            return outcomes
        }
        for id in ids {
            let steps = try await journal.steps(of: id).map(\.key)
            if lost.contains(id) {
                #expect(outcomes[id] == .some(.leaseLost(id)))
                #expect(steps.isEmpty, "\(id): \(steps)")
            } else {
                #expect(outcomes[id] == .some(nil))
                #expect(steps == (id == "r1" ? ["late", "a", "b"] : ["a", "b"]), "\(id): \(steps)")
            }
        }
    }

    @Test(arguments: Kind.available)
    func resumableRunsAreUnheldOrHeldUnderALeaseThatNoLongerHolds(_ kind: Kind) async throws {
        let journal = try await kind.make()
        let deadHere = RunOwner(id: "\(RunOwner.host):999999:dead")
        let aliveHere = RunOwner(id: "\(RunOwner.host):\(getppid()):live")
        try await journal.write([.run(Self.run("free", at: 0))], durable: true)
        try await journal.write([.run(Self.run("remote", at: 1))], durable: true, lease: Self.lease(Self.ownerA, until: 30))
        try await journal.write([.run(Self.run("dead", at: 2))], durable: true, lease: Self.lease(deadHere, until: 30))
        try await journal.write([.run(Self.run("alive", at: 3))], durable: true, lease: Self.lease(aliveHere, until: 30))
        // A process of this machine that has died holds nothing, whatever its lease says.
        #expect(try await journal.runs(RunQuery(resumableAt: Self.at(10))).map(\.id) == ["dead", "free"])
        #expect(try await journal.runs(RunQuery(resumableAt: Self.at(10), limit: 1)).map(\.id) == ["dead"])
        #expect(try await journal.claim("dead", lease: Self.lease(Self.ownerB, until: 60), at: Self.at(10)))
        #expect(try await journal.claim("alive", lease: Self.lease(Self.ownerB, until: 60), at: Self.at(10)) == false)
        #expect(try await journal.runs(RunQuery(resumableAt: Self.at(30))).map(\.id) == ["alive", "remote", "free"])
    }
}

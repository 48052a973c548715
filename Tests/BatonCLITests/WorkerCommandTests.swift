import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

/// `baton worker` as a long-running process: it stops cleanly when asked to.
@Suite struct WorkerCommandTests {
    @Test func sigtermStopsTheWorkerGracefully() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/purchase-approval.json"]).status == 0)

        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = ["worker"]
        process.currentDirectoryURL = Fixtures.root
        process.environment = BatonProcess.hermeticEnvironment.merging(sandbox.environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let ended = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { ended.continuation.yield($0.terminationStatus); ended.continuation.finish() }
        try process.run()
        try await Task.sleep(for: .seconds(1))
        #expect(process.isRunning, "the worker should keep running until it is stopped")
        kill(process.processIdentifier, SIGTERM)
        let stopped = Task {
            var iterator = ended.stream.makeAsyncIterator()
            return await iterator.next()
        }
        // Bounded: a worker that ignores SIGTERM is killed after 15 s and the test fails.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(15))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let status = await stopped.value
        watchdog.cancel()
        #expect(status == 0)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("worker: 0 runs finished; stopped"), "\(text)")
    }
}

/// `baton event`: an event starts every active workflow subscribed to it, once per event id.
@Suite struct EventCommandTests {
    @Test func anEventStartsItsSubscribersOncePerId() throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/customer-onboarding.json", "--activate"]).status == 0)
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/churn-winback.json", "--activate"]).status == 0)
        let payload = #"{"name": "Ada Lovelace", "email": "ada@example.com"}"#
        let first = try sandbox.run(["event", "customer.signed_up", "--payload", payload, "--id", "evt_1", "--simulate", "--json"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let runs = try JSONParser.parse(first.stdout).arrayValue ?? []
        #expect(runs.map { $0["workflow"] } == [.string("customer-onboarding")])
        #expect(runs.first?["trigger"]?["email"] == .string("ada@example.com"))

        let again = try sandbox.run(["event", "customer.signed_up", "--payload", payload, "--id", "evt_1", "--simulate"])
        #expect(again.stdout.contains("already started for this event id"), "\(again.stdout)")
        let none = try sandbox.run(["event", "nobody.listens"])
        #expect(none.stdout.contains("no active workflow"))
        let all = try JSONParser.parse(try sandbox.run(["runs", "--json"]).stdout).arrayValue ?? []
        #expect(all.count == 1)
    }
}

/// `baton schedules`: the scheduled workflows and their next fire times.
@Suite struct SchedulesCommandTests {
    @Test func scheduledWorkflowsAreListedWithTheirNextFire() throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/nightly-sales-report.json", "--activate"]).status == 0)
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/lead-routing.json", "--activate"]).status == 0)
        let listed = try sandbox.run(["schedules", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let items = try JSONParser.parse(listed.stdout).arrayValue ?? []
        #expect(items.map { $0["workflow"] } == [.string("nightly-sales-report")])
        let next = try #require(items.first?["nextFire"]?.stringValue)
        // 23:00 in Berlin is 22:00 UTC in winter and 21:00 in summer.
        #expect(next.contains("T22:00:00") || next.contains("T21:00:00"), "\(next)")
    }
}

/// `baton serve`'s refusals at start.
@Suite struct ServeCommandTests {
    @Test func serveRefusesToListenBeyondLoopbackWithNoToken() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        let refused = try await BatonProcess.run(["serve", "--host", "0.0.0.0", "--port", "0"], environment: sandbox.environment)
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("refusing to listen on 0.0.0.0 with no API token defined"), "\(refused.stderr)")
        #expect(try await BatonProcess.run(["serve", "--port", "70000"], environment: sandbox.environment).status == 64)
    }
}

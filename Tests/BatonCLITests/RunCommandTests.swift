import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// `baton run`, `trace`, `signal`, `cancel`, `dead-letters` and `replay` as a user runs them, against simulated
/// connectors on loopback.
@Suite struct RunCommandTests {
    typealias Sandbox = ComposeCommandTests.Sandbox

    /// Runs `body` with a sandbox whose connectors point at a fresh server, with every connector secret set; the
    /// server is stopped and the sandbox removed whatever happens.
    static func connected(_ body: (Sandbox, ConnectorServer, [String: String]) async throws -> Void) async throws {
        let sandbox = try Sandbox()
        let server = ConnectorServer(catalog: Fixtures.catalog)
        let environment = try await Self.environment(sandbox, server: server)
        do {
            try await body(sandbox, server, environment)
        } catch {
            await server.stop()
            sandbox.remove()
            throw error
        }
        await server.stop()
        sandbox.remove()
    }

    /// The sandbox's environment with every connector sent to `server` and every connector secret set.
    static func environment(_ sandbox: Sandbox, server: ConnectorServer) async throws -> [String: String] {
        _ = try await server.start()
        var environment = sandbox.environment
        environment["BATON_BASE_URLS"] = await server.catalog().connectors.map { "\($0.name)=\($0.baseURL)" }.joined(separator: ",")
        for connector in Fixtures.catalog.connectors { if let name = connector.auth.secretName { environment[name] = "test-secret-\(name)" } }
        return environment
    }

    static let travelInputs = [
        "--input", "traveler=Ada Lovelace", "--input", "travelerEmail=ada@example.com", "--input", "customerId=cus_1",
        "--input", "from=lhr", "--input", "to=cdg", "--input", "city=Paris", "--input", "date=2026-12-01",
    ]

    static func runID(_ output: String) throws -> String {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("run ") && $0.contains("(") })
        return String(line.dropFirst(4).prefix { $0 != " " })
    }

    @Test func sagaFailureIsCompensatedListedAsDeadLetterAndReplayed() async throws {
        try await Self.connected { sandbox, server, environment in
        let imported = try await BatonProcess.run(["import", "fixtures/definitions/valid/travel-booking-saga.json", "--activate"], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        await server.enqueue("travel.bookHotel", [.init(status: 409, body: #"{"message":"no rooms left"}"#)])

        let failed = try await BatonProcess.run(["run", "travel-booking-saga"] + Self.travelInputs, environment: environment)
        #expect(failed.status == 5, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("compensated"))
        let id = try Self.runID(failed.stdout)
        #expect(await server.calls().map(\.name) == ["travel.bookFlight", "travel.bookHotel", "travel.cancelFlight", "email.sendEmail"])

        let trace = try await BatonProcess.run(["trace", id], environment: environment)
        #expect(trace.status == 0)
        #expect(trace.stdout.contains("undoes book_flight"))
        #expect(trace.stdout.contains("http.409"))
        #expect(!trace.stdout.contains("test-secret"))

        let letters = try await BatonProcess.run(["dead-letters", "--json"], environment: environment)
        let listed = try JSONParser.parse(letters.stdout).arrayValue ?? []
        #expect(listed.map { $0["id"]?.stringValue } == [id])
        #expect(listed.first?["error"]?["step"] == .string("book_hotel"))

        // The replay starts again at the failing step: the flight was cancelled, so it is booked again too.
        await server.reset()
        let replay = try await BatonProcess.run(["replay", id, "--json"], environment: environment)
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(try JSONParser.parse(replay.stdout)["replayOf"] == .string(id))
        #expect(await server.calls().first?.name == "travel.bookFlight")
        }
    }

    @Test func approvalWaitsForItsTokenWhichWorksOnce() async throws {
        try await Self.connected { sandbox, server, environment in
        _ = try await BatonProcess.run(["import", "fixtures/definitions/valid/purchase-approval.json", "--activate"], environment: environment)
        let started = try await BatonProcess.run(
            ["run", "purchase-approval", "--input", "requester=bob@example.com", "--input", "item=laptop", "--input", "amount=900", "--json"],
            environment: environment)
        #expect(started.status == 0, "\(started.stdout)\(started.stderr)")
        let run = try JSONParser.parse(started.stdout)
        #expect(run["status"] == .string("waiting"))
        let id = try #require(run["id"]?.stringValue)
        let trace = try JSONParser.parse(try await BatonProcess.run(["trace", id, "--json"], environment: environment).stdout)
        let token = try #require(trace["waits"]?.arrayValue?.first?["token"]?.stringValue)

        let signalled = try await BatonProcess.run(["signal", id, token, "--approve", "--by", "ann@example.com", "--data", #"{"comment":"ok"}"#], environment: environment)
        #expect(signalled.status == 0, "\(signalled.stdout)\(signalled.stderr)")
        #expect(signalled.stdout.contains("completed"))
        let calls = await server.calls()
        #expect(calls.map(\.name) == ["erp.createPurchaseRequest", "erp.approvePurchaseRequest", "email.sendEmail"])
        #expect(calls[1].body?["approver"] == .string("ann@example.com"))
        #expect(calls[1].body?["comment"] == .string("ok"))

        let again = try await BatonProcess.run(["signal", id, token, "--reject"], environment: environment)
        #expect(again.status == 4)
        #expect(again.stderr.contains("already"))
        }
    }

    @Test func onlyActiveWorkflowsStartRunsAndWaitingRunsCanBeCancelled() async throws {
        try await Self.connected { sandbox, server, environment in
        _ = try await BatonProcess.run(["import", "fixtures/definitions/valid/purchase-approval.json"], environment: environment)
        let inputs = ["--input", "requester=bob@example.com", "--input", "item=desk", "--input", "amount=900"]
        let draft = try await BatonProcess.run(["run", "1"] + inputs, environment: environment)
        #expect(draft.status == 4)
        #expect(draft.stderr.contains("is draft"))
        _ = try await BatonProcess.run(["activate", "1"], environment: environment)
        let waiting = try await BatonProcess.run(["run", "1", "--json"] + inputs, environment: environment)
        let id = try #require(try JSONParser.parse(waiting.stdout)["id"]?.stringValue)
        #expect(waiting.status == 0, "\(waiting.stdout)\(waiting.stderr)")
        _ = try await BatonProcess.run(["pause", "1"], environment: environment)
        #expect(try await BatonProcess.run(["run", "1"] + inputs, environment: environment).status == 4)

        let cancelled = try await BatonProcess.run(["cancel", id], environment: environment)
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let runs = try JSONParser.parse(try await BatonProcess.run(["runs", "--json"], environment: environment).stdout)
        #expect(runs.arrayValue?.map { $0["status"] } == [.string("cancelled")])
        let badInput = try await BatonProcess.run(["run", "1", "--input", "amount=lots"], environment: environment)
        #expect(badInput.status != 0)
        }
    }

    @Test func dryRunShowsRetriesAndCompensationsWithoutCallingAnything() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try await BatonProcess.run(
            ["run", "fixtures/definitions/valid/travel-booking-saga.json", "--dry-run", "--json", "--fail", "book_hotel=503x2", "--fail", "charge=402"]
                + Self.travelInputs, environment: sandbox.environment)
        #expect(result.status == 5, "\(result.stderr)")
        let trace = try JSONParser.parse(result.stdout)
        #expect(trace["status"] == .string("compensated"))
        let steps = trace["steps"]?.arrayValue ?? []
        #expect(steps.first { $0["key"] == .string("book_hotel") }?["attempts"] == .number(3))
        #expect(steps.filter { $0["compensates"] != nil }.map { $0["key"] } == [.string("cancel_hotel"), .string("cancel_flight")])
        #expect(!FileManager.default.fileExists(atPath: sandbox.db))
    }
}

extension RunCommandTests {
    @Test func aRunWaitedOnInOneProcessIsCancelledFromAnother() async throws {
        try await Self.connected { sandbox, server, environment in
            _ = try await BatonProcess.run(["import", "fixtures/definitions/valid/purchase-approval.json", "--activate"], environment: environment)
            async let waiting = BatonProcess.run(
                ["run", "purchase-approval", "--wait", "--json", "--input", "requester=bob@example.com", "--input", "item=van", "--input", "amount=5000"],
                environment: environment)
            // Wait until the run has reached its approval, then cancel it from this other process.
            let journal = try WorkflowStore(path: sandbox.db).runJournal()
            var id: String?
            for _ in 0..<100 where id == nil {
                try await Task.sleep(for: .milliseconds(100))
                id = try await journal.runs(RunQuery(statuses: [.waiting])).first?.id
            }
            let runID = try #require(id)
            let cancelled = try await BatonProcess.run(["cancel", runID], environment: environment)
            #expect(cancelled.status == 0, "\(cancelled.stderr)")
            let result = try await waiting
            #expect(result.status == 5)
            #expect(try JSONParser.parse(result.stdout)["status"] == .string("cancelled"))
            #expect(await server.calls().map(\.name) == ["erp.createPurchaseRequest"])
        }
    }
}

import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// What a run, its trace and its replay say must be true: nothing announced early, nothing booked twice, timings
/// that add up, typos named.
@Suite struct RunCorrectnessTests {
    typealias Sandbox = ComposeCommandTests.Sandbox

    /// Books a flight (undone by a cancellation without retries), then a hotel.
    static let saga = """
        {"format": 1, "name": "flight-then-hotel", "trigger": {"type": "manual"},
         "steps": [
           {"id": "book_flight", "kind": "call", "connector": "travel", "operation": "bookFlight",
            "body": {"traveler": "Ada", "from": "LHR", "to": "CDG", "date": "2026-12-01"},
            "compensate": {"id": "cancel_flight", "kind": "call", "connector": "travel", "operation": "cancelFlight",
                           "params": {"bookingId": "${book_flight.bookingId}"}}},
           {"id": "book_hotel", "kind": "call", "connector": "travel", "operation": "bookHotel",
            "body": {"traveler": "Ada", "city": "Paris", "checkIn": "2026-12-01", "nights": 2}}
         ],
         "onError": {"action": "compensate"}}
        """

    static func importSaga(_ sandbox: Sandbox, environment: [String: String]) async throws {
        let file = sandbox.directory.appendingPathComponent("saga.json")
        try saga.write(to: file, atomically: true, encoding: .utf8)
        let imported = try await BatonProcess.run(["import", file.path, "--activate"], environment: environment)
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
    }

    @Test func aStepWhoseCompensationFailedIsNotUndoneAndReplayDoesNotBookItAgain() async throws {
        try await RunCommandTests.connected { sandbox, server, environment in
            try await Self.importSaga(sandbox, environment: environment)
            await server.enqueue("travel.bookHotel", [.init(status: 409, body: #"{"message":"no rooms left"}"#)])
            await server.enqueue("travel.cancelFlight", [.init(status: 400, body: #"{"message":"cannot cancel"}"#)])
            let failed = try await BatonProcess.run(["run", "flight-then-hotel"], environment: environment)
            #expect(failed.status == 5, "\(failed.stdout)\(failed.stderr)")
            let id = try RunCommandTests.runID(failed.stdout)

            let trace = try await BatonProcess.run(["trace", id], environment: environment)
            let flightLine = try #require(trace.stdout.split(separator: "\n").first { $0.contains("book_flight") && $0.contains("call") })
            #expect(flightLine.contains("NOT undone"), "\(trace.stdout)")
            let json = try JSONParser.parse(try await BatonProcess.run(["trace", id, "--json"], environment: environment).stdout)
            let flight = json["steps"]?.arrayValue?.first { $0["key"] == .string("book_flight") }
            #expect(flight?["undo"] == .string("compensation-failed"))

            await server.reset()
            let replay = try await BatonProcess.run(["replay", id, "--json"], environment: environment)
            #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
            let calls = await server.calls()
            // The flight still stands, so it is not booked again; the hotel is tried again as the same logical call.
            #expect(calls.map(\.name) == ["travel.bookHotel"])
            #expect(calls.first?.idempotencyKey == "\(id)/book_hotel")
        }
    }

    @Test func aStepThatWasUndoneIsBookedAgainAsANewCall() async throws {
        try await RunCommandTests.connected { sandbox, server, environment in
            try await Self.importSaga(sandbox, environment: environment)
            await server.enqueue("travel.bookHotel", [.init(status: 409, body: #"{"message":"no rooms left"}"#)])
            let failed = try await BatonProcess.run(["run", "flight-then-hotel"], environment: environment)
            let id = try RunCommandTests.runID(failed.stdout)
            let json = try JSONParser.parse(try await BatonProcess.run(["trace", id, "--json"], environment: environment).stdout)
            #expect(json["steps"]?.arrayValue?.first { $0["key"] == .string("book_flight") }?["undo"] == .string("compensated"))

            await server.reset()
            let replay = try JSONParser.parse(try await BatonProcess.run(["replay", id, "--json"], environment: environment).stdout)
            let newID = try #require(replay["id"]?.stringValue)
            let calls = await server.calls()
            #expect(calls.map(\.name) == ["travel.bookFlight", "travel.bookHotel"])
            #expect(calls.map(\.idempotencyKey) == ["\(newID)/book_flight", "\(id)/book_hotel"])
        }
    }

    @Test func nothingIsAnnouncedBeforeTheRunExists() async throws {
        try await RunCommandTests.connected { sandbox, server, environment in
            _ = try await BatonProcess.run(["import", "fixtures/definitions/valid/purchase-approval.json", "--activate"], environment: environment)
            let bad = try await BatonProcess.run(
                ["run", "purchase-approval", "--input", "requester=bob@example.com", "--input", "item=desk", "--input", "amount=lots"],
                environment: environment)
            #expect(bad.status == 64)
            #expect(!bad.stdout.contains("started"), "\(bad.stdout)")
            #expect(bad.stderr.contains("amount"))
            let runs = try await BatonProcess.run(["runs", "--json"], environment: environment)
            #expect(try JSONParser.parse(runs.stdout).arrayValue?.isEmpty == true)
        }
    }

    @Test func theApprovalTokenIsPrintedTheMomentARunWaits() async throws {
        try await RunCommandTests.connected { sandbox, server, environment in
            _ = try await BatonProcess.run(["import", "fixtures/definitions/valid/purchase-approval.json", "--activate"], environment: environment)
            async let waiting = BatonProcess.run(
                ["run", "purchase-approval", "--wait", "--input", "requester=bob@example.com", "--input", "item=van", "--input", "amount=5000"],
                environment: environment)
            let journal = try sandbox.store().runJournal()
            var id: String?
            for _ in 0..<100 where id == nil {
                try await Task.sleep(for: .milliseconds(100))
                id = try await journal.runs(.init(statuses: [.waiting])).first?.id
            }
            let runID = try #require(id)
            let token = try #require(try await journal.waits(of: runID).first?.token)
            let signalled = try await BatonProcess.run(["signal", runID, token, "--approve"], environment: environment)
            #expect(signalled.status == 0, "\(signalled.stderr)")
            let result = try await waiting
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("waiting at decision for an approval"), "\(result.stdout)")
            #expect(result.stdout.contains("baton signal \(runID) \(token) --approve"))

            // The condition around the approval began before it, though it was recorded by a later pass.
            let trace = try JSONParser.parse(try await BatonProcess.run(["trace", runID, "--json"], environment: environment).stdout)
            let steps = trace["steps"]?.arrayValue ?? []
            let outer = try #require(steps.first { $0["key"] == .string("needs_approval") }?["startedAt"]?.stringValue)
            let inner = try #require(steps.first { $0["key"] == .string("decision") }?["startedAt"]?.stringValue)
            #expect(outer <= inner)
        }
    }

    @Test func dryRunNamesUnknownStepsWithTheNearestOne() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = "fixtures/definitions/valid/travel-booking-saga.json"
        let fail = try await BatonProcess.run(["run", file, "--dry-run", "--fail", "book_hotl=503"] + RunCommandTests.travelInputs, environment: sandbox.environment)
        #expect(fail.status == 64)
        #expect(fail.stderr.contains("--fail book_hotl"), "\(fail.stderr)")
        #expect(fail.stderr.contains("did you mean book_hotel?"))
        let signal = try await BatonProcess.run(["run", file, "--dry-run", "--signal", "nosuch=approve"] + RunCommandTests.travelInputs, environment: sandbox.environment)
        #expect(signal.status == 64)
        #expect(signal.stderr.contains("--signal nosuch"), "\(signal.stderr)")
        let operation = try await BatonProcess.run(["run", file, "--dry-run", "--fail", "travel.bookHotel=timeout"] + RunCommandTests.travelInputs, environment: sandbox.environment)
        #expect(operation.status != 64, "\(operation.stderr)")
        let missing = try await BatonProcess.run(["run", "nosuch.json", "--dry-run"], environment: sandbox.environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"), "\(missing.stderr)")
    }

    @Test func aFailedStepLastsFromItsFirstAttemptToItsLast() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try await BatonProcess.run(
            ["run", "fixtures/definitions/valid/travel-booking-saga.json", "--dry-run", "--json", "--fail", "book_hotel=503x*"]
                + RunCommandTests.travelInputs, environment: sandbox.environment)
        let trace = try JSONParser.parse(result.stdout)
        let steps = trace["steps"]?.arrayValue ?? []
        let hotel = try #require(steps.first { $0["key"] == .string("book_hotel") })
        let flight = try #require(steps.first { $0["key"] == .string("book_flight") })
        #expect(hotel["status"] == .string("failed"))
        let attempts = try #require(hotel["attempts"]?.numberValue)
        #expect(attempts > 1)
        // Retries wait with exponential backoff on the virtual clock, so the failed step took time.
        #expect((hotel["durationMs"]?.numberValue ?? 0) > 1000, "\(hotel)")
        // It began right after the flight was booked, not when it finally failed.
        #expect(hotel["startedAt"] == flight["endedAt"] || (hotel["startedAt"]?.stringValue ?? "") < (hotel["endedAt"]?.stringValue ?? ""))
    }

    @Test func anIdempotencyKeyStartsOneRun() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/travel-booking-saga.json", "--activate"]).status == 0)
        let arguments = ["run", "travel-booking-saga", "--simulate", "--idempotency-key", "trip-42"] + RunCommandTests.travelInputs
        let first = try sandbox.run(arguments)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("started"))
        let id = try RunCommandTests.runID(first.stdout)
        let second = try sandbox.run(arguments)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("run \(id) already has the idempotency key trip-42"))
        let runs = try JSONParser.parse(try sandbox.run(["runs", "--json"]).stdout).arrayValue ?? []
        #expect(runs.count == 1)
    }
}

import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// The compose-review-activate path through the real `baton` process, with the recorded model on loopback.
@Suite struct ComposeCommandTests {
    /// A scratch folder with its own database, config and cache, so tests never touch the user's.
    struct Sandbox {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-\(UUID().uuidString)")
        var db: String { directory.appendingPathComponent("baton.sqlite").path }
        var environment: [String: String] {
            ["BATON_DB": db, "XDG_CONFIG_HOME": directory.path, "BATON_CACHE_DIR": directory.appendingPathComponent("cache").path]
        }

        init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }

        func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> BatonProcess.Result {
            try BatonProcess.runBlocking(arguments, environment: environment.merging(extra) { $1 })
        }

        func store() throws -> WorkflowStore { try WorkflowStore(path: db) }
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// The English request of a recorded fixture.
    static func request(of fixture: String) throws -> String {
        let data = Data(Fixtures.bytes(Fixtures.root.appendingPathComponent("fixtures/llm"), fixture + ".json"))
        return try #require(try JSONParser.parse(String(decoding: data, as: UTF8.self))["request"]?.stringValue)
    }

    @Test func demoComposesShowsAndActivates() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(["demo"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("RECORDED"))
        #expect(result.stdout.contains("saved as workflow 1 version 1"))
        #expect(result.stdout.contains("activated"))
        // ... and runs it against the simulated connectors: the new customer is created and welcomed.
        #expect(result.stdout.contains("(customer-onboarding v1): completed"))
        #expect(result.stdout.contains("✓ create_customer"))
        #expect(result.stdout.contains("POST http://127.0.0.1:"))
        let workflows = try await sandbox.store().listWorkflows()
        #expect(workflows.map(\.state) == [.active])
    }

    @Test func composeReviewReviseDiffAndLifecycle() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let demoRequest = try Self.request(of: "demo-customer-onboarding")
        let composed = try sandbox.run(["compose", demoRequest, "--provider", "replay", "--json"])
        #expect(composed.status == 0, "\(composed.stderr)")
        let report = try JSONParser.parse(composed.stdout)
        #expect(report["outcome"] == "repaired-deterministically")
        #expect(report["saved"]?["workflowID"] == 1)

        let list = try sandbox.run(["list", "--json"])
        #expect(try JSONParser.parse(list.stdout).arrayValue?.first?["state"] == "draft")
        #expect(try sandbox.run(["show", "1"]).stdout.contains("1. applicant"))
        #expect(try JSONParser.parse(try sandbox.run(["show", "1", "--json"]).stdout)["name"] == "customer-onboarding")
        #expect(try sandbox.run(["show", "customer-onboarding", "--yaml"]).stdout.contains("kind: condition"))
        #expect(try sandbox.run(["show", "1", "--mermaid"]).stdout.hasPrefix("flowchart TD"))

        // Lifecycle: a draft cannot be paused; activate, pause, resume.
        let pauseDraft = try sandbox.run(["pause", "1"])
        #expect(pauseDraft.status == 4)
        #expect(pauseDraft.stderr.contains("only an active workflow can be paused"))
        #expect(try sandbox.run(["activate", "1"]).status == 0)
        #expect(try sandbox.run(["pause", "1"]).stdout.contains("state: paused"))
        #expect(try sandbox.run(["resume", "1"]).stdout.contains("state: active"))

        // Revising an active workflow makes a new draft version; the live one stays until activated.
        let revised = try sandbox.run(["revise", "1", try Self.request(of: "demo-revise-text-customer"), "--provider", "replay"])
        #expect(revised.status == 0, "\(revised.stdout)\(revised.stderr)")
        #expect(revised.stdout.contains("+ text_customer  call sms.sendSms  (added)"))
        let summary = try await sandbox.store().workflow(id: 1)
        #expect(summary.state == .active && summary.activeVersion == 1 && summary.latestVersion == 2)
        let diff = try JSONParser.parse(try sandbox.run(["diff", "1", "--json"]).stdout)
        #expect(diff["changes"]?.arrayValue?.compactMap { $0["id"]?.stringValue }.sorted() == ["has_phone", "text_customer"])

        let history = try sandbox.run(["history", "1", "--json"])
        #expect(try JSONParser.parse(history.stdout).arrayValue?.map { $0["kind"]?.stringValue ?? "" } == ["compose", "revise"])

        // Archived is permanent.
        #expect(try sandbox.run(["archive", "1"]).status == 0)
        let activateArchived = try sandbox.run(["activate", "1"])
        #expect(activateArchived.status == 4)
        #expect(activateArchived.stderr.contains("archived"))
        #expect(try sandbox.run(["revise", "1", "anything", "--provider", "replay"]).status == 4)
    }

    @Test func aRejectedCompositionSavesNothingAndSaysWhy() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(["compose", try Self.request(of: "openai-rejected-unknown-connector-salesforce"), "--provider", "replay"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("not in the catalog"))
        #expect(result.stdout.contains("Nothing was saved"))
        #expect(result.stdout.contains("[connector.unknown]"))
        let store = try sandbox.store()
        #expect(try await store.countWorkflows() == 0)
        #expect(try await store.recentCompositions(limit: 5).map(\.outcome) == [.rejected], "the attempt is still recorded")
    }

    @Test func modelFailuresExitThreeWithAnActionableMessage() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let unauthorized = try sandbox.run(["compose", try Self.request(of: "openai-http-401-invalid-key"), "--provider", "replay"])
        #expect(unauthorized.status == 3)
        #expect(unauthorized.stderr.contains("401"))
        let unknown = try sandbox.run(["compose", "a request nobody recorded", "--provider", "replay"])
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("no recorded exchange"))
        let unconfigured = try sandbox.run(["compose", "send an email"])
        #expect(unconfigured.status == 3)
        #expect(unconfigured.stderr.contains("no model is configured"))
        #expect(try await sandbox.store().countWorkflows() == 0)
    }

    @Test func configurationComesFromTheEnvironmentAndTheConfigFile() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let request = try Self.request(of: "demo-customer-onboarding")
        let viaEnvironment = try sandbox.run(["compose", request], environment: ["BATON_LLM_PROVIDER": "replay", "BATON_LLM_API_KEY": "sk-very-secret"])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        let config = sandbox.directory.appendingPathComponent("baton/config.json")
        try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try #"{"llm": {"provider": "replay"}}"#.write(to: config, atomically: true, encoding: .utf8)
        let viaFile = try sandbox.run(["compose", request])
        #expect(viaFile.status == 0, "\(viaFile.stderr)")
        // The key is a secret: not in any output or stored record.
        let history = try sandbox.run(["history", "--recent", "5", "--raw", "--json"])
        #expect(!(viaEnvironment.stdout + viaEnvironment.stderr + history.stdout).contains("sk-very-secret"))
    }

    @Test func recordingWritesReplayableFixtures() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let folder = sandbox.directory.appendingPathComponent("recorded")
        let result = try sandbox.run(["compose", try Self.request(of: "demo-customer-onboarding"), "--provider", "replay", "--record", folder.path])
        #expect(result.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1)
        let replayed = try sandbox.run(
            ["compose", try Self.request(of: "demo-customer-onboarding"), "--provider", "replay"],
            environment: ["BATON_LLM_REPLAY_DIR": folder.path])
        #expect(replayed.status == 0, "the recorded exchange replays: \(replayed.stderr)")
    }

    @Test func editValidatesOnSaveAndKeepsTheStoreOnBadInput() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["compose", try Self.request(of: "demo-customer-onboarding"), "--provider", "replay"]).status == 0)
        let good = sandbox.directory.appendingPathComponent("good-editor.sh")
        try "#!/bin/sh\nsed -i 's/\"Normalise the sign-up\"/\"Clean up the sign-up\"/' \"$1\"\n".write(to: good, atomically: true, encoding: .utf8)
        let bad = sandbox.directory.appendingPathComponent("bad-editor.sh")
        try "#!/bin/sh\nsed -i 's/\"kind\": \"transform\"/\"kind\": \"transfrom\"/' \"$1\"\n".write(to: bad, atomically: true, encoding: .utf8)
        let garbage = sandbox.directory.appendingPathComponent("garbage-editor.sh")
        try "#!/bin/sh\nprintf '\\377\\376 not text' > \"$1\"\n".write(to: garbage, atomically: true, encoding: .utf8)
        for script in [good, bad, garbage] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path) }

        let edited = try sandbox.run(["edit", "1"], environment: ["EDITOR": good.path])
        #expect(edited.status == 0, "\(edited.stdout)\(edited.stderr)")
        #expect(edited.stdout.contains("name: \"Normalise the sign-up\" → \"Clean up the sign-up\""))
        for script in [bad, garbage] {
            let refused = try sandbox.run(["edit", "1"], environment: ["EDITOR": script.path])
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("nothing was saved"))
        }
        #expect(try await sandbox.store().workflow(id: 1).latestVersion == 2, "only the valid edit made a version")
    }

    @Test func twoProcessesComposingAtOnceBothSave() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let request = try Self.request(of: "demo-customer-onboarding")
        let results = try [0, 1].map { _ in
            let process = Process()
            process.executableURL = BatonProcess.executable
            process.arguments = ["compose", request, "--provider", "replay", "--quiet"]
            process.environment = BatonProcess.hermeticEnvironment.merging(sandbox.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(results == [0, 0])
        let store = try sandbox.store()
        #expect(try await store.countWorkflows() == 2)
        #expect(try store.integrityCheck() == "ok")
    }
}

import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowPages
import WorkflowRepository
import WorkflowService

/// The pages in a real browser: headless Chromium, driven through chromedriver by Tests/BatonServerTests/Browser/
/// pages_test.py, against a real server holding every valid fixture, a run waiting for approval and a recorded model.
@Suite(.enabled(if: Browser.installed != nil, Browser.missing), .serialized)
struct BrowserTests {
    @Test func thePagesWorkInAHeadlessBrowser() async throws {
        let browser = try #require(Browser.installed)
        let (harness, replay, fixture) = try await ServerHarness.startWithRecordedModel("openai-valid-customer-onboarding")
        defer { Task { await harness.stop(); await replay.stop() } }

        var workflows: [JSONValue] = []
        var drafts: [String: Int64] = [:]
        for name in Fixtures.files(in: Fixtures.validDefinitions) {
            let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, name), as: UTF8.self)
            let workflow = try #require(WorkflowValidator(catalog: harness.service.catalog).validate(json: text).validated)
            let summary = name == "purchase-approval.json"
                ? try await harness.activate(name) : try await harness.service.save(workflow, source: .imported).summary
            drafts[name] = summary.id
            workflows.append(.object(JSONObject([
                ("id", .number(Double(summary.id))), ("name", .string(summary.name)),
                ("steps", .array(workflow.definition.allSteps.map { .string($0.id) })),
                ("edges", .number(Double(WorkflowGraph(workflow.definition).edges.count))),
            ])))
        }
        let markup = try #require(WorkflowValidator(catalog: harness.service.catalog).validate(json: """
            {"format": 1, "name": "markup", "description": "<script>alert(1)</script>", "trigger": {"type": "manual"}, "steps": [
              {"id": "a", "name": "<img src=x onerror=alert(2)>", "kind": "transform", "output": {"note": "</pre><script>alert(3)</script>"}}]}
            """).validated)
        let markupID = try await harness.service.save(markup, source: .imported).summary.id
        let live = try await harness.service.live(String(try #require(drafts["purchase-approval.json"])))
        let input = try #require(try JSONParser.parse(#"{"requester": "bo@example.com", "item": "laptop", "amount": 2000}"#).objectValue)
        let waiting = try await harness.service.awaitOutcome(of: try await harness.service.start(live, input: input).run.id, timeout: .seconds(20))
        #expect(waiting.status == .waiting)

        let manifest = JSONValue.object(JSONObject([
            ("base", .string(harness.base)), ("token", .string(harness.token)), ("chromium", .string(browser.chromium)),
            ("chromedriver", .string(browser.chromedriver)), ("workflows", .array(workflows)), ("markup", .number(Double(markupID))),
            ("draft", .number(Double(try #require(drafts["customer-onboarding.json"])))),
            ("csrfDraft", .number(Double(try #require(drafts["inventory-sync.json"])))),
            ("waitingRun", .string(waiting.id)), ("composeRequest", .string(fixture.request)),
        ]))
        let file = harness.folder.appendingPathComponent("manifest.json")
        try Data(manifest.jsonText.utf8).write(to: file)

        let script = Fixtures.root.appendingPathComponent("Tests/BatonServerTests/Browser/pages_test.py")
        // About 25 s alone; inside the whole suite on two cores it has taken up to 110 s. The limit only stops a hang.
        let (status, output) = try await Browser.run(browser.python, [script.path, file.path], timeout: 300)
        #expect(status == 0, "\(output)")
    }
}

/// A headless Chromium with chromedriver and a Python that has selenium, when this machine has them.
enum Browser {
    struct Installed {
        var chromium: String
        var chromedriver: String
        var python: String
    }

    static let missing: Comment =
        "no headless browser: these tests need chromium, chromedriver and Python's selenium (Debian: apt-get install chromium chromium-driver python3-selenium)"

    static let installed: Installed? = {
        let fm = FileManager.default
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first(where: fm.isExecutableFile),
            let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first(where: fm.isExecutableFile),
            let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { fm.isExecutableFile(atPath: $0) && hasSelenium($0) })
        else { return nil }
        return Installed(chromium: chromium, chromedriver: driver, python: python)
    }()

    private static func hasSelenium(_ python: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import selenium"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Runs a program to its end (killed after `timeout` seconds) without holding a thread while it works.
    static func run(_ program: String, _ arguments: [String], timeout: Int) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeout)) { if process.isRunning { kill(pid, SIGKILL) } }
        }
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        return (status, text)
    }
}

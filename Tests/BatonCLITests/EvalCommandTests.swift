import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

/// `baton eval` as a process, against the recorded model on loopback: per-request lines, totals, the JSON
/// report, exit codes, bad lines, and that nothing reaches the database.
@Suite struct EvalCommandTests {
    typealias Sandbox = ComposeCommandTests.Sandbox

    static let recorded = "fixtures/eval/recorded.jsonl"

    @Test func theRecordedSetMeetsItsExpectationsAndSavesNothing() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(["eval", Self.recorded, "--provider", "replay"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("[1/5] signup  ok  repaired-deterministically, 1 round(s), 9/9 features, 4210 prompt + 1180 completion tokens, ") })
        #expect(lines.contains { $0.hasPrefix("[2/5] purchase-approval  ok  valid-first-try, 1 round(s), 6/6 features, ") })
        #expect(lines.contains { $0.hasPrefix("[3/5] order-note  ok  repaired-by-model, 2 round(s), 2/2 features, ") })
        #expect(lines.contains { $0.hasPrefix("[4/5] refund-note  ok  repaired-deterministically, 1 round(s), 3/3 features, ") })
        #expect(lines.contains { $0.hasPrefix("[5/5] salesforce  ok  rejected, 3 round(s), 1/1 features, ") })
        #expect(lines.contains("    rejected: the request needs systems that are not in the catalog: Salesforce; nothing was saved"))
        #expect(lines.contains("    errors left: connector.unknown"))
        #expect(lines.contains("5 of 5 request(s) met their expectations"))
        #expect(lines.contains("drafts: 4 of 4 that should compose (100.0%); with every expected feature: 4 (100.0%)"))
        #expect(lines.contains("refusals: 1 of 1 correct (100.0%)"))
        #expect(lines.contains("outcomes: valid-first-try 1, repaired-deterministically 2, repaired-by-model 1, rejected 1"))
        #expect(lines.contains("outside the catalog: 0 draft(s) with unknown connectors or operations, 0 with URLs to other hosts"))
        #expect(lines.contains { $0.hasPrefix("prompt tokens: median 4210, max 12722, 31423 in all; completion tokens: 3745 in all") })
        // Progress goes to standard error, each line naming the request and its place in the set.
        #expect(result.stderr.contains("evaluating 5 request(s) with the recorded model"))
        #expect(result.stderr.contains("[3/5] order-note: asking the model…"))
        #expect(result.stderr.contains("[3/5] order-note: asking the model to fix its answer (round 2)…"))
        // Nothing was saved, nor a database created.
        #expect(!FileManager.default.fileExists(atPath: sandbox.db))
    }

    @Test func theJSONReportHasEachResultAndTheTotals() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(["eval", Self.recorded, "--provider", "replay", "--json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let report = try JSONParser.parse(result.stdout)
        #expect(report["format"] == 1)
        // Without --quiet, each request's line goes to standard error as it is known.
        let loud = try sandbox.run(["eval", Self.recorded, "--provider", "replay", "--json"])
        #expect(loud.stderr.contains("[5/5] salesforce  ok  rejected, 3 round(s), 1/1 features, "))
        #expect(try JSONParser.parse(loud.stdout)["totals"]?["passed"] == 5)
        #expect(report["provider"] == "replay")
        let results = try #require(report["results"]?.arrayValue)
        #expect(results.compactMap { $0["id"]?.stringValue } == ["signup", "purchase-approval", "order-note", "refund-note", "salesforce"])
        #expect(results[0]["outcome"] == "repaired-deterministically")
        #expect(results[0]["passed"] == true && results[0]["drafted"] == true)
        #expect(results[0]["promptTokens"] == 4210 && results[0]["completionTokens"] == 1180)
        #expect(results[0]["features"]?.arrayValue?.first == .object(JSONObject([("name", "trigger event"), ("present", true)])))
        #expect(results[4]["expectsRefusal"] == true && results[4]["drafted"] == false && results[4]["rounds"] == 3)
        #expect(results[4]["errorCodes"] == ["connector.unknown"] && results[0]["errorCodes"] == [])
        let totals = try #require(report["totals"])
        #expect(totals["requests"] == 5 && totals["passed"] == 5)
        #expect(totals["savedPercent"] == 100 && totals["allFeaturesPercent"] == 100 && totals["refusalsCorrectPercent"] == 100)
        #expect(totals["medianPromptTokens"] == 4210 && totals["maxPromptTokens"] == 12722)
        #expect(totals["medianSeconds"]?.numberValue != nil)
        #expect(totals["outcomes"]?["repaired-deterministically"] == 2)
    }

    @Test func aRequestThatFallsShortOrFailsSetsTheExitCode() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let signup = try ComposeCommandTests.request(of: "demo-customer-onboarding")
        let short = sandbox.directory.appendingPathComponent("short.jsonl")
        try """
            {"id": "signup", "request": "\(signup)", "expect": {"trigger": "webhook", "kinds": ["foreach"], "uses": ["crm.createCustomer"]}}
            {"id": "salesforce", "request": "\(signup)", "expect": {"refuse": ["salesforce"]}}
            """.write(to: short, atomically: true, encoding: .utf8)
        let fallsShort = try sandbox.run(["eval", short.path, "--provider", "replay", "--quiet"])
        #expect(fallsShort.status == 1, "\(fallsShort.stdout)\(fallsShort.stderr)")
        #expect(fallsShort.stdout.contains("[1/2] signup  FALLS SHORT  repaired-deterministically, 1 round(s), 1/3 features, "))
        #expect(fallsShort.stdout.contains("    missing: trigger webhook, kind foreach\n"))
        #expect(fallsShort.stdout.contains("[2/2] salesforce  FALLS SHORT  repaired-deterministically, 1 round(s), 0/1 features, "))
        #expect(fallsShort.stdout.contains("    drafted a workflow where a refusal was expected\n"))
        #expect(fallsShort.stdout.contains("0 of 2 request(s) met their expectations"))
        #expect(fallsShort.stdout.contains("refusals: 0 of 1 correct (0.0%)"))

        let unknown = sandbox.directory.appendingPathComponent("unknown.jsonl")
        try #"{"id": "nothing-recorded", "request": "Nobody recorded an answer to this request."}"#.write(to: unknown, atomically: true, encoding: .utf8)
        let failed = try sandbox.run(["eval", unknown.path, "--provider", "replay", "--quiet"])
        #expect(failed.status == 3, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("[1/1] nothing-recorded  FALLS SHORT  failed, 0 round(s), no token counts, "))
        #expect(failed.stderr.contains("error: the model failed on 1 of 1 request(s); nothing-recorded: "))
    }

    @Test(arguments: [
        ("{\"id\": \"a\", \"request\": \"x\"}\n\n{\"id\": \"b\", \"request\": \"y\", \"expect\": {\"waits\": [\"sleep\"]}}\n",
         ":3: \"expect.waits\": \"sleep\" is not one of timer, callback, approval"),
        ("{\"id\": \"a\", \"request\": \"x\"\n", ":1: not valid JSON"),
        ("# only a comment\n", ": no requests: write one JSON object per line"),
    ])
    func aBadFileIsRefusedBeforeTheModelIsAsked(content: String, message: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = sandbox.directory.appendingPathComponent("bad.jsonl")
        try content.write(to: file, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["eval", file.path, "--provider", "replay"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(file.path)\(message)"), "\(result.stderr)")
        #expect(!result.stderr.contains("asking the model"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aMissingFileIsUnreadable() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(["eval", "no-such-set.jsonl", "--provider", "replay"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no-such-set.jsonl: no such file\n")
    }
}

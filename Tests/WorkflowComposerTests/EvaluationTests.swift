import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// The evaluation's pieces without a model: reading a JSONL set, checking drafts for expected features, totals.
@Suite struct EvaluationTests {
    static func definition(_ json: String) throws -> WorkflowDefinition {
        let result = WorkflowValidator().validate(json: json)
        return try #require(result.definition, "\(result.diagnostics)")
    }

    static func fixture(_ name: String) throws -> WorkflowDefinition {
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(bytes: Fixtures.bytes(Fixtures.validDefinitions, name + ".json"))
        return try #require(result.definition, "\(name): \(result.diagnostics)")
    }

    static func expectation(_ json: String) throws -> EvalCase.Expectation {
        let line = #"{"id": "t", "request": "r", "expect": "# + json + "}"
        return try EvalCase.parse(jsonl: line, file: "t.jsonl")[0].expect
    }

    /// A small document with a group, a timer, a callback and a sequential loop. (An approval must have a timeout,
    /// so a valid draft without one cannot be written; the check is still there for what a model may produce.)
    static let small = #"""
        {"format": 1, "name": "small", "trigger": {"type": "event", "event": "x.y"}, "steps": [
          {"id": "block", "kind": "group", "retry": {"maxAttempts": 2}, "steps": [
            {"id": "pause", "kind": "wait", "for": "timer", "duration": "5m"}]},
          {"id": "ask", "kind": "wait", "for": "callback", "timeout": "1h"},
          {"id": "each", "kind": "foreach", "items": "[1, 2]", "steps": [{"id": "one", "kind": "transform", "output": "${item}"}]},
          {"id": "stop", "kind": "fail", "error": "x.stop"}]}
        """#

    // (definition: a fixture name or "small", expectation, the features present, the features missing)
    static let table: [(String, String, [String], [String])] = [
        ("small", #"{"trigger": "event", "kinds": ["group", "wait", "foreach", "fail"], "waits": ["timer", "callback"], "retry": true}"#,
         ["trigger event", "kind group", "kind wait", "kind foreach", "kind fail", "wait timer", "wait callback", "retry"], []),
        ("small", #"{"trigger": "schedule", "timezone": true, "kinds": ["call", "parallel"], "waits": ["approval"]}"#,
         [], ["trigger schedule", "schedule with a time zone", "kind call", "kind parallel", "wait approval"]),
        ("small", #"{"approvalTimeout": true, "concurrency": true, "compensation": true, "uses": ["crm"]}"#,
         [], ["uses crm", "compensation", "approval with timeout", "foreach with concurrency ≥ 2"]),
        ("purchase-approval", #"{"trigger": "manual", "waits": ["approval"], "approvalTimeout": true, "uses": ["erp.createPurchaseRequest", "email"]}"#,
         ["trigger manual", "wait approval", "uses erp.createPurchaseRequest", "uses email", "approval with timeout"], []),
        ("travel-booking-saga", #"{"compensation": true, "retry": true, "uses": ["travel.bookFlight", "travel.cancelFlight", "travel.bookTrain"]}"#,
         ["uses travel.bookFlight", "uses travel.cancelFlight", "compensation", "retry"], ["uses travel.bookTrain"]),
        ("inventory-sync", #"{"trigger": "schedule", "timezone": "America/Chicago", "concurrency": 5, "kinds": ["foreach", "transform"]}"#,
         ["trigger schedule", "schedule in America/Chicago", "kind foreach", "kind transform", "foreach with concurrency ≥ 5"], []),
        ("inventory-sync", #"{"timezone": "Europe/Berlin", "concurrency": 6}"#,
         [], ["schedule in Europe/Berlin", "foreach with concurrency ≥ 6"]),
        ("incident-response", #"{"trigger": "webhook", "kinds": ["switch", "parallel"], "waits": ["callback"], "uses": ["incidents.pageOnCall", "sms.sendSms"]}"#,
         ["trigger webhook", "kind switch", "kind parallel", "wait callback", "uses incidents.pageOnCall", "uses sms.sendSms"], []),
    ]

    @Test(arguments: table)
    func featuresAreFoundWhereverTheStepsAre(source: String, expect: String, present: [String], missing: [String]) throws {
        let definition = try source == "small" ? Self.definition(Self.small) : Self.fixture(source)
        let results = FeatureCheck.features(try Self.expectation(expect), in: definition)
        #expect(results.filter(\.present).map(\.name) == present)
        #expect(results.filter { !$0.present }.map(\.name) == missing)
    }

    @Test(arguments: [
        (CompositionRecord.Outcome.rejected, "the request needs systems that are not in the catalog: salesforce_crm; nothing was saved", true),
        (.rejected, "the request needs Salesforce, which is not in the connector catalog", true),
        (.rejected, "the model's answer still has 3 error(s) after 3 round(s); nothing was saved", false),
        (.failed, "salesforce did not answer", false),
        (.validFirstTry, "", false),
    ])
    func aRefusalMustNameTheMissingSystem(outcome: CompositionRecord.Outcome, error: String, correct: Bool) throws {
        let results = FeatureCheck.refusal(try Self.expectation(#"{"refuse": ["salesforce"]}"#), outcome: outcome, error: error)
        #expect(results == [FeatureResult("refused naming salesforce", correct)])
    }

    @Test func connectorsAndOperationsOutsideTheCatalogAreListed() throws {
        let definition = try Self.definition(#"""
            {"format": 1, "name": "t", "steps": [
              {"id": "a", "kind": "call", "connector": "crm", "operation": "createCustomer", "body": {"name": "x", "email": "y"},
               "compensate": {"id": "undo", "kind": "call", "connector": "crm", "operation": "purgeCustomer"}},
              {"id": "b", "kind": "call", "connector": "zendesk", "operation": "createTicket"},
              {"id": "c", "kind": "call", "connector": "zendesk", "operation": "createTicket"}]}
            """#)
        #expect(FeatureCheck.outsideCatalog(definition, catalog: Fixtures.catalog) == ["crm.purgeCustomer", "zendesk.createTicket"])
        #expect(FeatureCheck.outsideCatalog(try Self.fixture("travel-booking-saga"), catalog: Fixtures.catalog).isEmpty)
    }

    @Test func urlsToHostsOutsideTheCatalogAreListed() throws {
        let document = try JSONParser.parse(#"""
            {"steps": [{"id": "a", "kind": "call", "connector": "email", "operation": "sendEmail",
              "body": {"text": "see https://crm.example.com/api/v2/customers/1 and HTTPS://User:pw@Collector.Evil.example:8443/in?x=1",
                       "more": ["http://203.0.113.9:8080/steal", "ftp://files.example.org/x", "https://api.postbox.example.com."]}}]}
            """#)
        #expect(FeatureCheck.outsideHosts(document, catalog: Fixtures.catalog) == ["collector.evil.example", "203.0.113.9"])
        let clean = try JSONParser.parse(String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "travel-booking-saga.json"), as: UTF8.self))
        #expect(FeatureCheck.outsideHosts(clean, catalog: Fixtures.catalog).isEmpty)
    }

    @Test func aSetIsReadLineByLine() throws {
        let text = """
            # requests for the CRM

            {"id": "a", "request": "Add leads to the CRM.", "expect": {"trigger": "webhook", "kinds": ["call"], "concurrency": 4}}
            // a refusal
            {"id": "b", "request": "Sync Salesforce.", "expect": {"refuse": ["salesforce"]}}
            {"id": "c", "request": "Anything valid."}
            """
        let cases = try EvalCase.parse(jsonl: text, file: "set.jsonl")
        #expect(cases.map(\.id) == ["a", "b", "c"])
        #expect(cases.map(\.line) == [3, 5, 6])
        #expect(cases[0].expect == EvalCase.Expectation(trigger: .webhook, kinds: [.call], concurrency: 4))
        #expect(cases[1].expect.expectsRefusal && cases[1].expect.refuse == ["salesforce"])
        #expect(cases[2].expect == EvalCase.Expectation())
    }

    @Test(arguments: [
        (#"{"id": "a", "request": "x"#, "set.jsonl:2: not valid JSON (column 26: "),
        (#"["a"]"#, "set.jsonl:2: expected a JSON object, found array"),
        (#"{"request": "x"}"#, "set.jsonl:2: \"id\" is missing or not a string"),
        (#"{"id": "b", "request": "  "}"#, "set.jsonl:2: \"request\" is missing or not a non-empty string"),
        (#"{"id": "b", "request": "x", "expected": {}}"#, "set.jsonl:2: the line has an unknown key \"expected\"; the keys are id, request, expect"),
        (#"{"id": "b", "request": "x", "expect": {"kinds": ["loop"]}}"#, "set.jsonl:2: \"expect.kinds\": \"loop\" is not one of call, transform, condition, switch, parallel, foreach, wait, fail, group"),
        (#"{"id": "b", "request": "x", "expect": {"trigger": "cron"}}"#, "set.jsonl:2: \"expect.trigger\": \"cron\" is not one of manual, schedule, event, webhook"),
        (#"{"id": "b", "request": "x", "expect": {"retries": true}}"#, "set.jsonl:2: \"expect\" has an unknown key \"retries\""),
        (#"{"id": "b", "request": "x", "expect": {"retry": "yes"}}"#, "set.jsonl:2: \"expect.retry\" must be true or false"),
        (#"{"id": "b", "request": "x", "expect": {"concurrency": 1}}"#, "set.jsonl:2: \"expect.concurrency\" must be true or a whole number from 2 to 100"),
        (#"{"id": "b", "request": "x", "expect": {"uses": "crm"}}"#, "set.jsonl:2: \"expect.uses\" must be a list"),
        (#"{"id": "b", "request": "x", "expect": {"refuse": ["jira"], "trigger": "manual"}}"#, "set.jsonl:2: \"expect.refuse\" stands alone"),
        (#"{"id": "a", "request": "again"}"#, "set.jsonl:2: the id \"a\" is already used on line 1"),
    ])
    func aBadLineIsNamedWithWhatIsWrong(line: String, message: String) {
        let text = #"{"id": "a", "request": "first"}"# + "\n" + line + "\n"
        #expect {
            try EvalCase.parse(jsonl: text, file: "set.jsonl")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func aSetWithoutRequestsIsAnError() {
        #expect(throws: EvalFileError(file: "empty.jsonl", line: 0, message: "no requests: write one JSON object per line")) {
            try EvalCase.parse(jsonl: "# nothing\n\n", file: "empty.jsonl")
        }
    }

    @Test func totalsCountWhatEachCaseCameTo() {
        func result(_ id: String, _ outcome: CompositionRecord.Outcome, drafted: Bool, refusal: Bool = false,
                    features: [Bool] = [], hosts: [String] = [], prompt: Int? = nil, seconds: Double) -> EvalResult {
            var record = CompositionRecord(kind: .compose, request: id, provider: "p", model: "m", endpoint: "e", startedAt: Date())
            record.outcome = outcome
            record.durationMs = Int(seconds * 1000)
            record.rounds = [.init(number: 1, messages: [], rawOutput: "", repairs: [], diagnostics: [], promptTokens: prompt,
                                   completionTokens: prompt.map { $0 / 10 }, durationMs: 0)]
            var result = EvalResult(case: EvalCase(id: id, request: id), composition: Composition(record: record, workflow: nil), catalog: Fixtures.catalog)
            result.drafted = drafted
            result.expectsRefusal = refusal
            result.features = features.enumerated().map { FeatureResult("f\($0.offset)", $0.element) }
            result.outsideHosts = hosts
            result.passed = refusal ? !drafted && result.features.allSatisfy(\.present)
                : drafted && result.features.allSatisfy(\.present) && hosts.isEmpty
            return result
        }
        let totals = EvalTotals([
            result("a", .validFirstTry, drafted: true, features: [true, true], prompt: 5000, seconds: 10),
            result("b", .repairedByModel, drafted: true, features: [true, false], prompt: 9000, seconds: 30),
            result("c", .validFirstTry, drafted: true, features: [true], hosts: ["evil.example"], prompt: 4000, seconds: 20),
            result("d", .rejected, drafted: false, refusal: true, features: [true], prompt: 6000, seconds: 40),
            result("e", .failed, drafted: false, seconds: 1),
        ])
        #expect(totals.requests == 5 && totals.composeCases == 4 && totals.refusalCases == 1)
        #expect(totals.drafted == 3 && totals.savedPercent == 75)
        #expect(totals.allFeatures == 1 && totals.allFeaturesPercent == 25)
        #expect(totals.refusalsCorrect == 1 && totals.refusalsCorrectPercent == 100)
        #expect(totals.passed == 2)
        #expect(totals.outcomes == ["valid-first-try": 2, "repaired-by-model": 1, "rejected": 1, "failed": 1])
        #expect(totals.draftsWithOutsideHosts == 1)
        #expect(totals.medianSeconds == 20 && totals.totalSeconds == 101)
        #expect(totals.medianPromptTokens == 5500 && totals.maxPromptTokens == 9000 && totals.promptTokens == 24000)
        #expect(totals.completionTokens == 2400)
        #expect(EvalTotals([]).savedPercent == nil && EvalTotals([]).medianSeconds == nil)
    }

    /// The bundled development set stays usable: enough requests, every step kind and trigger, refusals, and
    /// only connectors and operations the bundled catalog has.
    @Test func theDevelopmentSetCoversTheLanguageAndTheCatalog() throws {
        let file = Fixtures.root.appendingPathComponent("fixtures/eval/dev.jsonl")
        let cases = try EvalCase.parse(jsonl: String(decoding: try Data(contentsOf: file), as: UTF8.self), file: file.path)
        #expect(cases.count >= 40)
        let expects = cases.map(\.expect)
        let kinds = Set(expects.flatMap(\.kinds)).union(expects.contains { !$0.waits.isEmpty } ? [.wait] : [])
        #expect(kinds == Set(Step.Kind.allCases))
        #expect(Set(expects.flatMap(\.waits)) == Set(Step.Wait.Kind.allCases))
        #expect(Set(expects.compactMap(\.trigger)) == Set(Trigger.Kind.allCases))
        #expect(expects.contains { $0.trigger == .schedule && $0.timezone != nil })
        #expect(expects.contains(where: \.compensation) && expects.contains(where: \.retry) && expects.contains(where: \.approvalTimeout))
        #expect(expects.contains { ($0.concurrency ?? 0) > 1 })
        #expect(expects.filter(\.expectsRefusal).count >= 4)
        #expect(cases.contains { $0.request.contains("http") }, "a prompt injection with an outside URL")
        for use in expects.flatMap(\.uses) {
            let parts = use.split(separator: ".").map(String.init)
            let connector = Fixtures.catalog[parts[0]]
            #expect(connector != nil, "\(use)")
            if parts.count == 2 { #expect(connector?.operation(parts[1]) != nil, "\(use)") }
        }
        for system in expects.flatMap(\.refuse) {
            #expect(Fixtures.catalog.connectors.allSatisfy { !$0.name.contains(system.lowercased()) }, "\(system) is in the catalog")
        }
    }
}

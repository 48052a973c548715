import BatonTestSupport
import Foundation
import Testing

/// Each command's human output, compared with a golden file under Tests/BatonCLITests/Golden, so that a change of
/// wording or layout shows up in review. Run with `RECORD_GOLDEN=1` to write the files anew, then read the diff.
///
/// Every scenario runs on a fresh database, with the recorded model and simulated connectors. What changes from run
/// to run (run ids, clock times, durations, ports, scratch paths) is replaced by a placeholder first.
@Suite struct GoldenOutputTests {
    typealias Sandbox = ComposeCommandTests.Sandbox

    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        /// Commands run before the ones shown, to set the database up.
        var setUp: [[String]] = []
        var commands: [[String]]
        var testDescription: String { name }
    }

    static let saga = "fixtures/definitions/valid/travel-booking-saga.json"
    static let travel = RunCommandTests.travelInputs

    static let scenarios: [Scenario] = [
        Scenario(name: "help", commands: [["--help"]]),
        Scenario(name: "validate", commands: [
            ["validate", "fixtures/definitions/valid/order-to-cash.json"],
            ["validate", "fixtures/definitions/invalid/multi-connector-and-later-reference.json"],
        ]),
        Scenario(name: "explain", commands: [["explain", "reference.later"], ["explain", "secret.missing"], ["explain", "nope.nope"]]),
        Scenario(name: "compose-and-review", commands: [
            ["compose", "When a customer signs up, validate the name and email, check the CRM for a duplicate, create the customer if new, send a welcome email.", "--provider", "replay", "--quiet"],
            ["list"], ["show", "1"], ["show", "1", "--mermaid"], ["history", "1"],
        ]),
        Scenario(name: "lifecycle", setUp: [["import", saga]], commands: [
            ["activate", "1"], ["pause", "1"], ["run", "1"], ["resume", "1"], ["archive", "1"], ["activate", "1"], ["list"],
        ]),
        Scenario(name: "import-into", setUp: [["import", saga]], commands: [
            ["import", "fixtures/definitions/valid/order-to-cash.json", "--into", "1"], ["import", saga],
        ]),
        Scenario(name: "dry-run", commands: [
            ["run", saga, "--dry-run", "--fail", "book_hotel=503x2", "--fail", "charge=402"] + travel,
            ["run", saga, "--dry-run", "--fail", "book_hotl=503"] + travel,
        ]),
        Scenario(name: "simulated-run", setUp: [["import", saga, "--activate"]], commands: [
            ["run", "travel-booking-saga", "--simulate"] + travel, ["runs"], ["dead-letters"], ["trace", "ID-1"],
        ]),
        Scenario(name: "approval", setUp: [["import", "fixtures/definitions/valid/purchase-approval.json", "--activate"]], commands: [
            ["run", "purchase-approval", "--simulate", "--input", "requester=bob@example.com", "--input", "item=van", "--input", "amount=5000"],
            ["run", "purchase-approval", "--input", "amount=lots"],
        ]),
        Scenario(name: "missing-database", commands: [["list", "--db", "SANDBOX/none/x.sqlite"]]),
    ]

    @Test(arguments: scenarios)
    func output(_ scenario: Scenario) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        for command in scenario.setUp {
            let result = try sandbox.run(command)
            #expect(result.status == 0, "\(command): \(result.stdout)\(result.stderr)")
        }
        var transcript = ""
        var names = Placeholders()
        for command in scenario.commands {
            let arguments = command.map { names.resolve($0).replacingOccurrences(of: "SANDBOX", with: sandbox.directory.path) }
            let result = try sandbox.run(arguments, environment: ["COLUMNS": "100"])
            transcript += "$ baton " + command.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ") + "\n"
            transcript += names.normalize(result.stdout, sandbox: sandbox.directory.path)
            if !result.stderr.isEmpty { transcript += "[stderr]\n" + names.normalize(result.stderr, sandbox: sandbox.directory.path) }
            transcript += "[exit \(result.status)]\n\n"
        }
        let file = Fixtures.root.appendingPathComponent("Tests/BatonCLITests/Golden/\(scenario.name).txt")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            try transcript.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        if golden != transcript {
            let old = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let new = transcript.split(separator: "\n", omittingEmptySubsequences: false)
            let first = old.indices.first { $0 >= new.count || old[$0] != new[$0] } ?? old.count
            Issue.record("""
                \(scenario.name): the output differs from \(file.lastPathComponent) at line \(first + 1):
                  golden: \(first < old.count ? String(old[first]) : "(end)")
                  now:    \(first < new.count ? String(new[first]) : "(end)")
                Re-record with RECORD_GOLDEN=1 swift test --filter GoldenOutputTests if the change is intended.
                """)
        }
    }

    /// Stable names for what changes between runs.
    struct Placeholders {
        private var runs: [String: String] = [:]

        /// A command argument naming `ID-n` becomes the n-th id (of a run, a composition) seen so far.
        func resolve(_ argument: String) -> String {
            runs.first { $0.value == argument }?.key ?? argument
        }

        mutating func normalize(_ text: String, sandbox: String) -> String {
            var text = text.replacingOccurrences(of: sandbox, with: "SANDBOX")
            text = replace(#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, in: text) { id in
                if let name = runs[id] { return name }
                let name = "ID-\(runs.count + 1)"
                runs[id] = name
                return name
            }
            text = replace(#"\b[0-9a-f]{32}\b"#, in: text) { _ in "TOKEN" }
            text = replace(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, in: text) { _ in "TIME" }
            text = replace(#"\d{4}-\d\d-\d\d \d\d:\d\d"#, in: text) { _ in "DATE" }
            text = replace(#"127\.0\.0\.1:\d+"#, in: text) { _ in "127.0.0.1:PORT" }
            text = replace(#"/tmp/baton-[^ \n]*"#, in: text) { _ in "TMPFILE" }
            // Wall-clock durations: milliseconds and seconds, in runs, traces and progress lines.
            text = replace(#"\b\d+ ms\b|\b\d+\.\d+ ?s\b|\b\d+\.\d{3}s\b"#, in: text) { _ in "T" }
            // Columns padded after a duration vary with its width: keep the gap, not its size.
            text = replace(#"(?<=\S) {2,}"#, in: text) { _ in "  " }
            return text
        }

        private func replace(_ pattern: String, in text: String, with transform: (String) -> String) -> String {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
            var result = ""
            var last = text.startIndex
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text) else { continue }
                result += text[last..<range.lowerBound] + transform(String(text[range]))
                last = range.upperBound
            }
            return result + text[last...]
        }
    }
}

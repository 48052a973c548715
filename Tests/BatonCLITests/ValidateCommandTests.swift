import BatonTestSupport
import Foundation
import Testing
import WorkflowCatalog
import WorkflowModel

@Suite struct ValidateCommandTests {
    struct Report: Decodable {
        struct Item: Decodable { var code: String; var pointer: String; var severity: String }
        var file: String
        var valid: Bool
        var diagnostics: [Item]
    }

    static let catalog = ["--catalog", "fixtures/connectors"]

    @Test func everyValidFixtureExitsZero() throws {
        let files = Fixtures.files(in: Fixtures.validDefinitions).map { "fixtures/definitions/valid/\($0)" }
        #expect(files.count >= 12)
        let result = try BatonProcess.runBlocking(["validate", "--json"] + files + Self.catalog)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let reports = try JSONDecoder().decode([Report].self, from: Data(result.stdout.utf8))
        #expect(reports.count == files.count)
        for report in reports { #expect(report.valid && report.diagnostics.isEmpty, "\(report.file)") }
    }

    @Test func aValidFixtureIsShownAsAnOutline() throws {
        let result = try BatonProcess.runBlocking(["validate", "fixtures/definitions/valid/order-to-cash.json"] + Self.catalog)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("order-to-cash.json: valid"))
        #expect(result.stdout.contains("parallel (billing, shipping, stock)"))
    }

    @Test func everyInvalidFixtureExitsNonZeroWithItsCodes() throws {
        let expectations = try JSONDecoder().decode(
            [String: [String: JSONAny]].self,
            from: Data(Fixtures.bytes(Fixtures.invalidDefinitions, "expected.json")))
        #expect(expectations.count >= 40)
        for file in expectations.keys.sorted() {
            // One process per file: the exit status must be non-zero for each on its own.
            let result = try BatonProcess.runBlocking(["validate", "--quiet", "fixtures/definitions/invalid/\(file)"] + Self.catalog)
            #expect(result.status == 1, "\(file): exit \(result.status)")
            let printed = Set(result.stdout.matches(of: /error \[([a-z.\-]+)\]/).map { String($0.1) })
            #expect(printed == expectations[file]!["diagnostics"]!.codes, "\(file)")
        }
    }

    @Test func humanOutputNamesCodeLineAndHint() throws {
        let result = try BatonProcess.runBlocking(["validate", "fixtures/definitions/invalid/reference-later-step.json"] + Self.catalog)
        #expect(result.status == 1)
        #expect(result.stdout.contains("[reference.later]"))
        #expect(result.stdout.contains("reference-later-step.json:"))
        #expect(result.stdout.contains("hint:"))
    }

    @Test func yamlDocumentsValidateToo() throws {
        let json = Fixtures.bytes(Fixtures.validDefinitions, "order-to-cash.json")
        let yaml = YAMLDocument.render(try JSONParser.parse(String(decoding: json, as: UTF8.self)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try BatonProcess.runBlocking(["validate", file.path] + Self.catalog)
        #expect(result.status == 0, "\(result.stdout)")

        try (yaml.replacingOccurrences(of: "kind: parallel", with: "kind: paralel")).write(to: file, atomically: true, encoding: .utf8)
        let broken = try BatonProcess.runBlocking(["validate", file.path] + Self.catalog)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("[step.kind-unknown]"))
        #expect(broken.stdout.range(of: #"\.yaml:\d+:\d+: error"#, options: .regularExpression) != nil, "YAML errors carry line:column")
    }

    @Test func invalidUTF8IsADiagnosticNotACrash() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-\(UUID().uuidString).json")
        try Data([0x7B, 0x22, 0x6E, 0xFF, 0x22, 0x7D]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try BatonProcess.runBlocking(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[document.encoding]"))
    }

    @Test func unreadableInputsExitTwoWithAClearMessage() throws {
        let missing = try BatonProcess.runBlocking(["validate", "no/such/file.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/file.json: no such file"))
        let badCatalog = try BatonProcess.runBlocking(["validate", "fixtures/definitions/valid/order-to-cash.json", "--catalog", "no/such/dir"])
        #expect(badCatalog.status == 2)
        #expect(badCatalog.stderr.contains("catalog"))
    }

    @Test func withNoCatalogCallsAreUncheckedButNotFailed() throws {
        let result = try BatonProcess.runBlocking(["validate", "fixtures/definitions/valid/order-to-cash.json", "--no-catalog"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("[catalog.missing]"))
        let checked = try BatonProcess.runBlocking(["validate", "fixtures/definitions/valid/order-to-cash.json"])
        #expect(checked.status == 0)
        #expect(!checked.stdout.contains("[catalog.missing]"))
    }
}

/// Decodes just enough of an expectation entry to compare codes.
struct JSONAny: Decodable {
    var codes: Set<String>
    init(from decoder: any Decoder) throws {
        struct Item: Decodable { var code: String }
        codes = Set(((try? decoder.singleValueContainer().decode([Item].self)) ?? []).map(\.code))
    }
}

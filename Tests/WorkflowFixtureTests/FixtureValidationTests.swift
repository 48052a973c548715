import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

/// Every bundled definition is judged as its folder says: valid ones pass with no error, invalid ones report
/// exactly the expected codes at the expected places.
@Suite struct FixtureValidationTests {
    struct Expectation: Decodable {
        struct Expected: Decodable, Hashable, CustomStringConvertible {
            var code: String
            var pointer: String
            var description: String { "\(code) at \(pointer)" }
        }
        var diagnostics: [Expected]
        var structural: Bool
    }

    static let expectations: [String: Expectation] = {
        let data = FileManager.default.contents(atPath: Fixtures.invalidDefinitions.appendingPathComponent("expected.json").path)
        return (try? JSONDecoder().decode([String: Expectation].self, from: data ?? Data())) ?? [:]
    }()

    static let validFiles = Fixtures.files(in: Fixtures.validDefinitions)
    static let invalidFiles = Fixtures.files(in: Fixtures.invalidDefinitions).filter { $0 != "expected.json" }

    @Test func thereAreEnoughFixtures() {
        #expect(Self.validFiles.count >= 12)
        #expect(Self.invalidFiles.count >= 40)
        #expect(Set(Self.invalidFiles) == Set(Self.expectations.keys), "every invalid fixture has an expectation")
    }

    @Test(arguments: validFiles)
    func validFixtureHasNoDiagnostics(file: String) {
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(bytes: Fixtures.bytes(Fixtures.validDefinitions, file))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.definition != nil)
    }

    @Test(arguments: invalidFiles)
    func invalidFixtureReportsTheExpectedErrors(file: String) throws {
        let expectation = try #require(Self.expectations[file])
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(bytes: Fixtures.bytes(Fixtures.invalidDefinitions, file))
        let reported = Set(result.errors.map { Expectation.Expected(code: $0.code.rawValue, pointer: $0.pointer) })
        #expect(result.definition == nil)
        #expect(reported == Set(expectation.diagnostics), "\(result.errors)")
        for diagnostic in result.errors {
            #expect(!diagnostic.hint.isEmpty)
            #expect(diagnostic.location != nil || diagnostic.code == .documentEncoding, "every diagnostic has a place")
        }
    }

    @Test func everyCodeIsDocumentedAndCovered() {
        let documented = Set(DiagnosticCode.all.map(\.code.rawValue))
        let covered = Set(Self.expectations.values.flatMap(\.diagnostics).map(\.code))
        #expect(covered.isSubset(of: documented), "\(covered.subtracting(documented))")
        let untested: Set<String> = [
            "document.encoding", "yaml.syntax", "parallel.single-branch", "parallel.branch-duplicate", "catalog.missing",
            "body.unexpected", "document.size", "document.steps",
            // The composer's, not the validator's: `OutsideHostTests`.
            "host.outside-catalog",
        ]
        #expect(documented.subtracting(covered).subtracting(untested).isEmpty, "\(documented.subtracting(covered))")
    }
}

/// The complete example in README.md is a valid workflow against the bundled catalog.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeExampleIsValid() throws {
        let readme = String(decoding: Fixtures.bytes(Fixtures.root, "README.md"), as: UTF8.self)
        let match = try #require(readme.firstMatch(of: /```json\n((?s:.*?))```/))
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(json: String(match.1))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.definition?.allSteps.count == 6)
    }
}

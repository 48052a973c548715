import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

/// The JSON Schema given to language models and the Swift validator agree: valid fixtures pass both, and
/// each structurally invalid fixture fails both. The schema side runs Python's `jsonschema`.
@Suite struct SchemaAgreementTests {
    static func schemaVerdicts(folder: URL, files: [String]) throws -> [String: Bool] {
        let script = try #require(Bundle.module.url(forResource: "check_schema", withExtension: "py"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, Fixtures.schema.path] + files.map { folder.appendingPathComponent($0).path }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with jsonschema is needed (pip install jsonschema): \(problem)")
        let verdicts = try JSONDecoder().decode([String: Bool].self, from: data)
        return Dictionary(uniqueKeysWithValues: verdicts.map { (URL(fileURLWithPath: $0.key).lastPathComponent, $0.value) })
    }

    @Test func validFixturesPassTheSchema() throws {
        let files = Fixtures.files(in: Fixtures.validDefinitions, extensions: ["json"])
        let verdicts = try Self.schemaVerdicts(folder: Fixtures.validDefinitions, files: files)
        #expect(verdicts.count == files.count)
        for (file, valid) in verdicts { #expect(valid, "\(file) fails the JSON Schema") }
    }

    @Test func structurallyInvalidFixturesFailBoth() throws {
        let files = FixtureValidationTests.invalidFiles
        let verdicts = try Self.schemaVerdicts(folder: Fixtures.invalidDefinitions, files: files)
        var structural = 0
        for file in files {
            let expectation = try #require(FixtureValidationTests.expectations[file])
            let swiftValid = WorkflowValidator(catalog: Fixtures.catalog)
                .validate(bytes: Fixtures.bytes(Fixtures.invalidDefinitions, file)).isValid
            #expect(!swiftValid, "\(file) passes the Swift validator")
            #expect(verdicts[file] == !expectation.structural, "\(file): the schema's verdict disagrees with the fixture")
            if expectation.structural { structural += 1 }
        }
        #expect(structural >= 10)
    }

    @Test func theSchemaNamesEveryStepKindAndField() throws {
        let schema = try JSONParser.parse(String(decoding: Fixtures.bytes(Fixtures.root, "prompts/workflow.schema.json"), as: UTF8.self))
        let step = try #require(schema["$defs"]?["step"])
        let kinds = Set(step["properties"]?["kind"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(kinds == Set(Step.Kind.allCases.map(\.rawValue)))
        let fields = Set(step["properties"]?.objectValue?.keys ?? [])
        let swiftFields = Set(Step.Kind.allCases.flatMap { StepFields.allowed(for: $0) })
        #expect(fields == swiftFields)
    }
}

import ArgumentParser
import Foundation
import WorkflowModel

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow documents and report every problem at once.",
        discussion: """
            Reads each FILE (JSON, or YAML when it ends in .yaml or .yml), checks it against the document \
            format, the expression language and the connector catalog that import, activate and run use \
            ($BATON_CATALOG, else the bundled one; --catalog DIR for another, --no-catalog for none). Every problem is \
            printed with its code, its place (line:column and JSON Pointer) and a hint. A valid document is \
            shown as an outline of what it would do.

            Examples:
              baton validate fixtures/definitions/valid/order-to-cash.json
              baton validate draft.json --catalog my-connectors
              baton validate draft.yaml --json | jq '.[0].diagnostics[].code'

            Exits 0 when no document has errors (warnings are allowed), 1 when any has, 2 when a file or \
            the catalog cannot be read.
            """
    )

    @Argument(help: "The workflow documents to check.")
    var files: [String]

    @Option(name: .long, help: ArgumentHelp(
        "A folder of connectors (*.connector.yaml with their OpenAPI documents) that calls are checked against (default: $BATON_CATALOG, else the bundled one).",
        valueName: "dir"))
    var catalog: String?

    @Flag(name: .customLong("no-catalog"), help: "Check the document alone, not the connectors it calls.")
    var noCatalog = false

    @Flag(name: .long, help: "Print the results as JSON: one object per file with its diagnostics.")
    var json = false

    @Flag(name: .long, help: "Do not print the outline of valid documents.")
    var quiet = false

    func run() async throws {
        let validator = WorkflowValidator(catalog: noCatalog ? nil : try ModelOptions.loadCatalog(catalog).catalog)
        var reports: [FileReport] = []
        for file in files {
            let bytes = try DocumentFile.read(file)
            let result = DocumentFile.validate(bytes, yaml: DocumentFile.isYAML(file), with: validator)
            reports.append(FileReport(file: file, valid: result.isValid, diagnostics: result.diagnostics))
            if !json { print(DiagnosticText.render(result, file: file, outline: !quiet)) }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if reports.contains(where: { !$0.valid }) { throw ExitCode.invalidDocument }
    }

    struct FileReport: Encodable {
        var file: String
        var valid: Bool
        var diagnostics: [Diagnostic]
    }
}

import ArgumentParser
import Foundation
import WorkflowCatalog
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit a workflow's definition by hand in $EDITOR.",
        discussion: """
            Opens the latest version in $VISUAL or $EDITOR (default vi) as JSON (or YAML with --yaml). When the \
            editor closes, the document is validated: a valid change becomes a new draft version and its diff \
            is printed; an invalid one is reported and nothing is saved (your edit is kept in the file named).
            """
    )

    @Argument(help: "The workflow's id or name.") var workflow: String
    @Flag(help: "Edit as YAML instead of JSON.") var yaml = false
    @Option(help: ArgumentHelp("The connector catalog to check calls against (default: $BATON_CATALOG, else the bundled one).", valueName: "dir"))
    var catalog: String?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try await store.open()
        let (summary, current, document) = try await editableLatest(database, workflow)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "baton-\(summary.id)-v\(current.number)-\(UUID().uuidString.prefix(8)).\(yaml ? "yaml" : "json")")
        let original = yaml ? YAMLDocument.render(document) : document.prettyJSON() + "\n"
        try original.write(to: file, atomically: true, encoding: .utf8)

        let editor = ProcessInfo.processInfo.environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ProcessInfo.processInfo.environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "editor", file.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandError(description: "the editor (\(editor)) exited with status \(process.terminationStatus); nothing was saved; your file: \(file.path)")
        }
        let bytes = try DocumentFile.read(file.path)
        if String(decoding: bytes, as: UTF8.self) == original {
            try? FileManager.default.removeItem(at: file)
            print("no changes; nothing was saved")
            return
        }
        let service = WorkflowService(repository: database, catalog: try ModelOptions.loadCatalog(catalog).catalog)
        let result = DocumentFile.validate(bytes, yaml: yaml, with: WorkflowValidator(catalog: service.catalog))
        guard let edited = result.validated else {
            print(DiagnosticText.render(result, file: file.path, outline: false))
            print("nothing was saved; your edit is kept in \(file.path)")
            print("fix it, then check it with: baton validate \(file.path)")
            print("and save it as a new version with: baton import \(file.path) --into \(summary.id)")
            throw ExitCode.invalidDocument
        }
        let saved = try await serviceCall { try await service.save(edited, into: String(summary.id), source: .edited) }.version
        try? FileManager.default.removeItem(at: file)
        print("saved as workflow \(saved.workflowID) version \(saved.number) (draft).")
        print(DiffText.render(WorkflowDiff(old: document, new: edited.document), from: current.number, to: saved.number))
    }
}

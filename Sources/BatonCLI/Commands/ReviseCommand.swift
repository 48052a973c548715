import ArgumentParser
import Foundation
import WorkflowComposer
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct ReviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revise",
        abstract: "Change a workflow by saying what to change, in English.",
        discussion: """
            The model gets the current definition and your instruction; steps that still do the same thing \
            keep their ids. The result is validated like a composition and saved as a new draft version; \
            the step-level diff is printed. An active workflow stays live on its current version until you \
            activate the new one.

            The workflow keeps its name (use --name to rename it). A revision that removes more than half of \
            the steps is shown first and saved only when you confirm (or pass --yes); otherwise it is kept in a \
            file that `baton import FILE --into WORKFLOW` saves later.

            Example: baton revise 3 "also text the customer when the order ships"
            """
    )

    @Argument(help: "The workflow's id or name.") var workflow: String
    @Argument(help: "What to change, in plain English.") var instruction: String
    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Do not show progress while the model works.") var quiet = false
    @Option(help: ArgumentHelp("Give the workflow this new name.", valueName: "name")) var name: String?
    @Flag(help: "Save even a revision that removes most of the steps, without asking.") var yes = false

    func run() async throws {
        let database = try await store.open()
        let (summary, current, document) = try await editableLatest(database, workflow)
        let (catalog, _) = try model.loadCatalog()
        let session = try await ComposeSession.start(model, catalog: catalog, progress: Progress(quiet: quiet || json))
        var composition = await session.composer.revise(document, instruction: instruction)
        await session.stop()
        composition = try Self.keepingName(composition, name: name ?? summary.name, catalog: catalog)
        if let revised = composition.document, composition.succeeded {
            let diff = WorkflowDiff(old: document, new: revised)
            if diff.removedShare > 0.5, !yes, !json {
                print(DiffText.render(diff, from: current.number, to: current.number + 1))
                print("")
                if !Confirmation.ask("This revision removes most of the steps of \(summary.name). Save it?") {
                    let file = try Self.keep(revised, workflowID: summary.id)
                    try await serviceCall { try await database.recordComposition(composition.record) }
                    throw CommandError(
                        description: "the revision was not saved; it is kept in \(file); save it with: baton import \(file) --into \(summary.id)",
                        exitCode: .refused)
                }
            }
        }
        try await CompositionOutput.finish(composition, service: WorkflowService(repository: database, catalog: catalog), into: summary.id, json: json)
        if !json, let revised = composition.document {
            print("")
            print(DiffText.render(WorkflowDiff(old: document, new: revised), from: current.number, to: current.number + 1))
        }
    }

    /// The composition with the workflow's name put back where the model changed it.
    static func keepingName(_ composition: Composition, name: String, catalog: ConnectorCatalog) throws -> Composition {
        guard let document = composition.document, composition.succeeded, case .object(var object) = document,
            let proposed = object["name"]?.stringValue, proposed != name
        else { return composition }
        object["name"] = .string(name)
        var kept = composition
        kept.workflow = WorkflowValidator(catalog: catalog).validate(document: .object(object)).validated ?? composition.workflow
        if !kept.record.rounds.isEmpty {
            kept.record.rounds[kept.record.rounds.count - 1].repairs.append("kept the workflow's name \(name) (the model proposed \(proposed))")
        }
        return kept
    }

    /// Writes a revision that was not saved to a file, and returns its path.
    private static func keep(_ document: JSONValue, workflowID: Int64) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-\(workflowID)-revision-\(UUID().uuidString.prefix(8)).json")
        try (document.prettyJSON() + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

/// A yes/no question on the terminal; without one (a script, a pipe) the answer is no.
enum Confirmation {
    static func ask(_ question: String) -> Bool {
        guard isatty(STDIN_FILENO) == 1 else { return false }
        print("\(question) [y/N] ", terminator: "")
        fflush(nil)
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }
}

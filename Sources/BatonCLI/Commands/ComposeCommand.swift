import ArgumentParser
import Foundation
import WorkflowComposer
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct ComposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Describe a workflow in English and get a validated draft.",
        discussion: """
            Sends your description, the document schema and the connector catalog to the language model, \
            repairs and validates its answer (asking the model to fix what it got wrong, at most \
            --repair-rounds times), and saves the result as a new Draft. Nothing invalid is saved: a \
            rejected composition prints what was asked, what came back and every remaining problem.

            Examples:
              baton compose "When a customer signs up, send a welcome email"
              baton compose "..." --provider replay   # the recorded model, offline
              export BATON_LLM_BASE_URL=http://127.0.0.1:8080/v1
              export BATON_LLM_MODEL=qwen2.5-coder-1.5b-instruct
              baton compose "..."

            Exit codes: 0 saved; 1 rejected; 2 the catalog or database cannot be read; 3 the model failed.
            """
    )

    @Argument(help: "What the workflow should do, in plain English.")
    var request: String

    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON (the composition record and the saved workflow).")
    var json = false

    @Flag(help: "Do not show progress while the model works.")
    var quiet = false

    func run() async throws {
        let (catalog, _) = try model.loadCatalog()
        let service = WorkflowService(repository: try await store.open(create: true), catalog: catalog)
        let session = try await ComposeSession.start(model, catalog: catalog, progress: Progress(quiet: quiet || json))
        if !quiet && !json { FileHandle.standardError.write(Data("composing with \(session.label)\n".utf8)) }
        let composition = await session.composer.compose(request)
        await session.stop()
        try await CompositionOutput.finish(composition, service: service, json: json)
    }
}

/// How compose and revise save, record and report what the composer produced.
enum CompositionOutput {
    struct Report: Encodable {
        var outcome: String
        var saved: WorkflowVersion?
        var composition: CompositionRecord
    }

    /// Saves the composition (its draft as a new workflow, or as the next version of `workflowID`) and reports it.
    @discardableResult
    static func finish(_ composition: Composition, service: WorkflowService, into workflowID: Int64? = nil, json: Bool) async throws
        -> WorkflowVersion?
    {
        let result = try await serviceCall { try await service.save(composition, into: workflowID) }
        let record = result.record
        let saved = result.version
        if json {
            try printJSON(Report(outcome: record.outcome.rawValue, saved: saved, composition: record))
        } else if let saved, let definition = composition.definition {
            print(definition.outline())
            print("")
            let repairs = record.rounds.flatMap(\.repairs)
            print("\(describe(record.outcome)) in \(record.rounds.count) round(s), \(Progress.seconds(.milliseconds(record.durationMs)))"
                + (repairs.isEmpty ? "" : "; repaired: " + repairs.prefix(6).joined(separator: "; ") + (repairs.count > 6 ? "; …" : "")))
            print("saved as workflow \(saved.workflowID) version \(saved.number) (draft).")
            print("next: baton show \(saved.workflowID)   baton diff \(saved.workflowID)   baton activate \(saved.workflowID)")
        } else {
            printRejection(record)
        }
        switch record.outcome {
        case .failed: throw CommandError(description: record.error ?? "the model failed", exitCode: .modelFailure)
        case .rejected: throw ExitCode.invalidDocument
        default: return saved
        }
    }

    static func describe(_ outcome: CompositionRecord.Outcome) -> String {
        switch outcome {
        case .validFirstTry: "valid on the first try"
        case .repairedDeterministically: "valid after Baton's own repairs"
        case .repairedByModel: "valid after the model fixed its answer"
        case .rejected: "rejected"
        case .failed: "failed"
        }
    }

    static func printRejection(_ record: CompositionRecord) {
        guard record.outcome == .rejected else { return }
        print("rejected: \(record.error ?? "the answer is not a valid workflow"). Nothing was saved.")
        print("asked: \(record.request)")
        for round in record.rounds {
            let raw = round.rawOutput.count > 600 ? String(round.rawOutput.prefix(600)) + " …(\(round.rawOutput.count) characters)" : round.rawOutput
            print("\nround \(round.number): the model answered:\n\(raw.isEmpty ? "(nothing)" : raw)")
            if !round.repairs.isEmpty { print("repairs: " + round.repairs.joined(separator: "; ")) }
            for diagnostic in round.diagnostics where diagnostic.severity == .error {
                print("  error [\(diagnostic.code)] at \(diagnostic.pointer.isEmpty ? "/" : diagnostic.pointer): \(diagnostic.message)")
            }
        }
        print("\nthe full record: baton history --composition \(record.id) --raw")
    }
}

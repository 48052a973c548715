import ArgumentParser
import Foundation
import WorkflowComposer
import WorkflowModel

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure composition quality: run a set of English requests through the composer and check the drafts.",
        discussion: """
            Reads FILE, one JSON object per line (blank lines and lines starting with # are skipped): an "id", \
            the English "request", and what the draft must contain in "expect" (all optional): "trigger" \
            (manual, schedule, event, webhook), "timezone" (true or a zone name, for schedules), "kinds" (step \
            kinds that must appear), "waits" (timer, callback, approval), "uses" (connectors or \
            connector.operation that must be called), "compensation", "retry", "approvalTimeout" (true), \
            "concurrency" (true or the least foreach concurrency). {"refuse": ["salesforce"]} instead means the \
            request must be refused, naming each system, because the catalog lacks it.

            Each request is composed with the model as `baton compose` would (same model options), but nothing \
            is saved: the composition record and the draft are checked in memory. Prints each request's \
            outcome, rounds, missing features, any connector, operation or URL host outside the catalog, \
            tokens and seconds, then the totals; progress goes to standard error.

            A line of FILE (each object on one line):
              {"id": "zendesk", "request": "Copy new Zendesk tickets into incidents.",
               "expect": {"refuse": ["zendesk"]}}

            Examples (from a checkout; the first is offline, with the recorded model):
              baton eval fixtures/eval/recorded.jsonl --provider replay
              baton eval fixtures/eval/dev.jsonl --json > report.json \\
                --base-url http://127.0.0.1:8080/v1 --model qwen2.5-coder-1.5b-instruct

            Exit codes: 0 every request met its expectations; 1 some did not; 2 the file (with its line) or \
            the catalog cannot be read; 3 the model failed on some request.
            """
    )

    @Argument(help: "The evaluation set: a JSONL file of requests and what their drafts must contain.")
    var file: String

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print the report as JSON: each request's result and the totals.")
    var json = false

    @Flag(help: "Do not show progress while the model works.")
    var quiet = false

    func run() async throws {
        let bytes = try DocumentFile.read(file)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandError(description: "\(file): the file is not UTF-8 text")
        }
        let cases: [EvalCase]
        do {
            cases = try EvalCase.parse(jsonl: text, file: file)
        } catch {
            throw CommandError(description: error.description)
        }
        let (catalog, _) = try model.loadCatalog()
        let progress = Progress(quiet: quiet)
        let session = try await ComposeSession.start(model, catalog: catalog, progress: progress)
        if !quiet { FileHandle.standardError.write(Data("evaluating \(cases.count) request(s) with \(session.label)\n".utf8)) }
        var results: [EvalResult] = []
        for (index, evalCase) in cases.enumerated() {
            let position = "[\(index + 1)/\(cases.count)]"
            progress.setPrefix("\(position) \(evalCase.id): ")
            let composition = await session.composer.compose(evalCase.request)
            let result = EvalResult(case: evalCase, composition: composition, catalog: catalog)
            results.append(result)
            // Written at once, not buffered, so each request's result shows as soon as it is known; with --json, on
            // standard error, so that a long run cut short still shows what it found.
            let line = Data((EvalText.line(result, position: position) + "\n").utf8)
            if !json {
                FileHandle.standardOutput.write(line)
            } else if !quiet {
                FileHandle.standardError.write(line)
            }
        }
        await session.stop()
        let report = EvalReport(
            file: file, provider: session.composer.provider, model: session.composer.modelName,
            endpoint: session.composer.model.endpointDescription, results: results)
        if json { try printJSON(report) } else { print(EvalText.totals(report.totals)) }

        let failed = results.filter { $0.outcome == .failed }
        if let first = failed.first {
            throw CommandError(
                description: "the model failed on \(failed.count) of \(results.count) request(s); \(first.id): \(first.error ?? "no answer")",
                exitCode: .modelFailure)
        }
        if report.totals.passed < results.count { throw ExitCode.invalidDocument }
    }
}

/// How `baton eval` prints a result and the totals for people.
enum EvalText {
    static func line(_ result: EvalResult, position: String) -> String {
        let features = result.features.isEmpty ? "" : ", \(result.features.filter(\.present).count)/\(result.features.count) features"
        let tokens = switch (result.promptTokens, result.completionTokens) {
        case (let prompt?, let completion): "\(prompt) prompt + \(completion ?? 0) completion tokens"
        // A streamed answer from a server that reports no usage: its pieces were counted.
        case (nil, let completion?): "\(completion) completion tokens (the endpoint gave no prompt count)"
        case (nil, nil): "no token counts"
        }
        var lines = [
            "\(position) \(result.id)  \(result.passed ? "ok" : "FALLS SHORT")  \(result.outcome.rawValue), "
                + "\(result.rounds) round(s)\(features), \(tokens), \(String(format: "%.1f", result.seconds))s",
        ]
        if !result.missingFeatures.isEmpty { lines.append("    missing: " + result.missingFeatures.joined(separator: ", ")) }
        if !result.outsideCatalog.isEmpty { lines.append("    outside the catalog: " + result.outsideCatalog.joined(separator: ", ")) }
        if !result.outsideHosts.isEmpty { lines.append("    URLs to hosts outside the catalog: " + result.outsideHosts.joined(separator: ", ")) }
        if result.expectsRefusal && result.drafted { lines.append("    drafted a workflow where a refusal was expected") }
        if let error = result.error, !result.passed || result.expectsRefusal {
            lines.append("    \(result.outcome.rawValue): \(error)")
        }
        if !result.errorCodes.isEmpty { lines.append("    errors left: " + result.errorCodes.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    static func totals(_ totals: EvalTotals) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0) } ?? "n/a" }
        func seconds(_ value: Double?) -> String { value.map { String(format: "%.1fs", $0) } ?? "n/a" }
        let outcomes = CompositionRecord.Outcome.allCases.compactMap { outcome in
            totals.outcomes[outcome.rawValue].map { "\(outcome.rawValue) \($0)" }
        }
        let median = totals.medianPromptTokens.map { String(format: "%.0f", $0) } ?? "n/a"
        return """

            \(totals.passed) of \(totals.requests) request(s) met their expectations
            drafts: \(totals.drafted) of \(totals.composeCases) that should compose (\(percent(totals.savedPercent))); \
            with every expected feature: \(totals.allFeatures) (\(percent(totals.allFeaturesPercent)))
            refusals: \(totals.refusalsCorrect) of \(totals.refusalCases) correct (\(percent(totals.refusalsCorrectPercent)))
            outcomes: \(outcomes.joined(separator: ", "))
            outside the catalog: \(totals.draftsOutsideCatalog) draft(s) with unknown connectors or operations, \
            \(totals.draftsWithOutsideHosts) with URLs to other hosts
            time: median \(seconds(totals.medianSeconds)) per request, \(seconds(totals.totalSeconds)) in all
            prompt tokens: median \(median), max \(totals.maxPromptTokens.map(String.init) ?? "n/a"), \
            \(totals.promptTokens) in all; completion tokens: \(totals.completionTokens) in all
            """
    }
}

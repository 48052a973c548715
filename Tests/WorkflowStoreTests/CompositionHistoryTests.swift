import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
@testable import WorkflowStore

@Suite struct CompositionHistoryTests {
    /// A composition that took two rounds: the model's first answer had a diagnostic, its second was valid.
    static func record(
        id: String = UUID().uuidString.lowercased(), startedAt: Date, workflowID: Int64? = nil,
        outcome: CompositionRecord.Outcome = .repairedByModel
    ) -> CompositionRecord {
        let diagnostic = Diagnostic(
            "reference.later", at: "/steps/1/input/to", "step \"notify\" refers to \"lookup\", which runs later",
            hint: "Refer only to steps that run before this one.", severity: .error,
            location: SourceLocation(line: 12, column: 17))
        let warning = Diagnostic(
            "catalog.unchecked", at: "", "call steps are not checked", hint: "Load a catalog.", severity: .warning)
        return CompositionRecord(
            id: id, kind: .compose, request: "Every weekday at 7, email me yesterday's sales — in €, please.",
            provider: "openai", model: "gpt-test", endpoint: "http://127.0.0.1:8080/v1", startedAt: startedAt,
            durationMs: 2_345,
            rounds: [
                .init(
                    number: 1,
                    messages: [
                        .init(role: "system", content: "You write workflows."), .init(role: "user", content: "…"),
                    ],
                    rawOutput: "```json\n{\"format\": 1,}\n```",
                    repairs: ["removed a code fence", "removed a trailing comma"],
                    diagnostics: [diagnostic, warning], promptTokens: 1_200, completionTokens: 340, durationMs: 1_500),
                .init(
                    number: 2, messages: [.init(role: "user", content: "Fix: \(diagnostic)")], rawOutput: "{}",
                    repairs: [], diagnostics: [], promptTokens: 1_500, completionTokens: nil, durationMs: 845),
            ],
            outcome: outcome, error: outcome == .rejected ? "still invalid after 3 rounds" : nil,
            workflowID: workflowID, version: workflowID == nil ? nil : 1)
    }

    @Test func aRecordReadsBackAsItWasWritten() async throws {
        try await withStore { store, _ in
            let record = Self.record(startedAt: Date(timeIntervalSince1970: 1_800_000_000.123_456_7))
            try await store.recordComposition(record)
            let read = try await store.composition(id: record.id)
            #expect(read == record)
            #expect(read.rounds[0].diagnostics[0].location == SourceLocation(line: 12, column: 17))
            #expect(read.promptTokens == 2_700)
        }
    }

    @Test func recordingTheSameIdAgainReplacesIt() async throws {
        try await withStore { store, _ in
            var record = Self.record(startedAt: Date(timeIntervalSince1970: 1_800_000_000), outcome: .failed)
            try await store.recordComposition(record)
            let saved = try store.createSample().workflowID
            record.outcome = .validFirstTry
            record.workflowID = saved
            record.version = 1
            try await store.recordComposition(record)

            #expect(try await store.composition(id: record.id) == record)
            #expect(try await store.recentCompositions(limit: 10) == [record])
            #expect(try await store.compositions(workflowID: saved) == [record])
        }
    }

    @Test func compositionsAreListedPerWorkflowAndMostRecentFirst() async throws {
        try await withStore { store, _ in
            let a = try store.createSample("A").workflowID
            let b = try store.createSample("B").workflowID
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let records = [
                Self.record(startedAt: start.addingTimeInterval(30), workflowID: a),
                Self.record(startedAt: start.addingTimeInterval(10), workflowID: a),
                Self.record(startedAt: start.addingTimeInterval(20), workflowID: b),
                Self.record(startedAt: start.addingTimeInterval(40), outcome: .rejected),
            ]
            for record in records { try await store.recordComposition(record) }

            #expect(try await store.compositions(workflowID: a) == [records[1], records[0]])
            #expect(try await store.compositions(workflowID: b) == [records[2]])
            #expect(try await store.compositions(workflowID: 999).isEmpty)
            #expect(try await store.recentCompositions(limit: 3) == [records[3], records[0], records[2]])
            #expect(try await store.recentCompositions(limit: 0).isEmpty)
        }
    }
}

import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// Answers that are not a workflow at all: another language, nothing, a loop until the token limit. Each ends with
/// a clear message, nothing saved, and the record of every round kept.
@Suite struct OffTopicAnswerTests {
    @Test func anAnswerInAnotherLanguageWithoutJSONIsRejectedWithItsRecord() async throws {
        let german = "Gerne! Ich würde zuerst den Kunden im CRM suchen und ihm dann eine Willkommens-E-Mail schicken."
        let (composition, requests) = await AnswerLimitTests.compose(answer: german)
        #expect(composition.record.outcome == .rejected)
        #expect(composition.document == nil)
        #expect(composition.record.rounds.count == 3, "the same answer twice, and again sampled more freely, ends the rounds")
        #expect(composition.record.rounds.allSatisfy { $0.rawOutput == german })
        #expect(composition.record.rounds[0].diagnostics.contains { $0.message.contains("no JSON object") || $0.code == .jsonSyntax })
        // The repair round says what was wrong.
        #expect(requests.last?.messages.last?.content.contains("json.syntax") == true)
    }

    @Test func anEmptyAnswerIsRejected() async {
        let (composition, _) = await AnswerLimitTests.compose(answer: "")
        #expect(composition.record.outcome == .rejected)
        #expect(composition.document == nil)
        #expect(composition.record.error == "the model answered nothing, two rounds running; nothing was saved")
        #expect(composition.record.rounds.count == 2)
    }

    @Test func anAnswerThatRepeatsItselfUntilTheTokenLimitIsRejected() async {
        // A step list that never closes: the same step over and over, cut off mid-way by max_tokens.
        let step = #"{"id": "send_email", "kind": "call", "connector": "email", "operation": "sendEmail", "body": {"to": "${input.email}", "subject": "Hi", "text": "Hello"}}, "#
        let answer = #"{"format": 1, "name": "welcome", "description": "d", "trigger": {"type": "manual"}, "inputs": [{"name": "email", "type": "string", "required": true}], "steps": ["#
            + String(repeating: step, count: 60) + #"{"id": "send_em"#
        let (composition, _) = await AnswerLimitTests.compose(answer: answer)
        // Closed where it was cut off and the repeated ids renamed, it is still no workflow (ids grow past their limit,
        // required fields are missing): rejected, and the repeat of it in round 2, and in round 3 sampled more
        // freely, ends the rounds.
        #expect(composition.record.outcome == .rejected)
        #expect(composition.document == nil)
        #expect(composition.record.rounds.count == 3)
        #expect(composition.record.rounds[0].repairs.contains("closed output that was cut off"))
        #expect(composition.record.error?.hasSuffix("error(s) left; nothing was saved") == true, "\(composition.record.error ?? "")")
        #expect(composition.record.rounds.first?.rawOutput.hasSuffix("send_em") == true)
    }
}

import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// Repair rounds that ask for one step: chosen when every error is inside one top-level step, answered with the
/// step alone under the step's schema, and spliced back without touching the rest.
@Suite struct StepRepairTests {
    static let find = #"{"id": "find_customer", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "${input.email}"}}"#
    static let note = #"{"id": "add_note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "${find_customer.items[0].id}"}, "body": {"text": "Signed up via the partner portal"}}"#
    static let badNote = #"{"id": "add_note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "${find_customer.items[0].id}", "author": "bot"}, "body": {"text": "Signed up via the partner portal"}}"#
    static let welcome = #"{"id": "send_welcome", "kind": "call", "connector": "email", "operation": "sendEmail", "body": {"to": "${input.email}", "subject": "Welcome", "text": "Glad to have you."}}"#

    static func document(_ steps: String...) -> String {
        #"{"format": 1, "name": "partner-signup", "description": "d", "trigger": {"type": "manual"}, "inputs": [{"name": "email", "type": "string", "required": true}], "steps": [\#(steps.joined(separator: ", "))]}"#
    }

    static func diagnostics(_ text: String) -> (JSONValue, [Diagnostic]) {
        let attempt = Composer.check(text, validator: WorkflowValidator(catalog: Fixtures.catalog))
        return (attempt.document!, attempt.diagnostics)
    }

    @Test func errorsInsideOneStepFocusOnIt() {
        let (document, diagnostics) = Self.diagnostics(Self.document(Self.find, Self.badNote, Self.welcome))
        #expect(diagnostics.contains { $0.code == .parameterUnknown })
        #expect(StepFocus.find(in: document, diagnostics: diagnostics)?.index == 1)
    }

    @Test func errorsInTwoStepsOrOutsideTheStepsDoNot() {
        let badWelcome = Self.welcome.replacingOccurrences(of: #""subject": "Welcome", "#, with: "")
        let (two, twoDiagnostics) = Self.diagnostics(Self.document(Self.find, Self.badNote, badWelcome))
        #expect(Set(twoDiagnostics.filter { $0.severity == .error }.map { JSONPointer.tokens($0.pointer)[1] }).count == 2)
        #expect(StepFocus.find(in: two, diagnostics: twoDiagnostics) == nil)
        let (top, topDiagnostics) = Self.diagnostics(
            Self.document(Self.find, Self.badNote).replacingOccurrences(of: #""type": "manual""#, with: #""type": "hourly""#))
        #expect(StepFocus.find(in: top, diagnostics: topDiagnostics) == nil)
    }

    @Test func theRepairRoundAsksForTheStepAndSplicesTheAnswer() async throws {
        let model = ScriptedSchemaModel([Self.document(Self.find, Self.badNote, Self.welcome), Self.note])
        let composition = await PromptShapeTests.composer(model).compose(
            "Look up a partner's signup in the CRM, note it on their record and send a welcome email.")
        #expect(composition.record.outcome == .repairedByModel, "\(composition.record.error ?? "")")
        let requests = model.requests.withLock { $0 }
        #expect(requests.count == 2)
        let question = requests[1].messages[1].content
        #expect(question.contains("This step, at /steps/1, is wrong:"))
        #expect(question.contains("parameter.unknown"))
        #expect(question.contains("- find_customer: call crm.searchCustomers"))
        #expect(question.contains("- send_welcome: call email.sendEmail"))
        // The other steps are named, not repeated.
        #expect(!question.contains("Glad to have you."))
        // The answer must be a step: the schema's root is the step definition.
        let schema = try #require(requests[1].schema)
        let calls = schema["anyOf"]?.arrayValue?.compactMap { $0["properties"]?["operation"]?["const"]?.stringValue } ?? []
        #expect(calls.contains("addNote") && schema["$defs"]?["step"] != nil)
        #expect(schema["properties"]?["format"] == nil)
        // Spliced in place; the rest as it was.
        let document = try #require(composition.document)
        #expect(document["steps"]?.arrayValue?.count == 3)
        #expect(JSONPointer.resolve("/steps/1/params/author", in: document) == nil)
        #expect(JSONPointer.resolve("/steps/2/body/text", in: document) == "Glad to have you.")
        #expect(composition.record.rounds[1].repairs.contains { $0.contains("/steps/1: replaced by the model's corrected step") })
    }

    @Test func aStepAnswerWithoutAnObjectLeavesTheDocumentAndTheNextRoundAsksForAllOfIt() async throws {
        let model = ScriptedSchemaModel([Self.document(Self.find, Self.badNote, Self.welcome), "Sorry, I cannot help with that.", Self.document(Self.find, Self.note, Self.welcome)])
        let composition = await PromptShapeTests.composer(model).compose(
            "Look up a partner's signup in the CRM, note it on their record and send a welcome email.")
        #expect(composition.record.outcome == .repairedByModel, "\(composition.record.error ?? "")")
        let requests = model.requests.withLock { $0 }
        #expect(requests.count == 3)
        #expect(composition.record.rounds[1].repairs.contains { $0.contains("the answer held no step") })
        // The same step again would ask the same question: the third round asks for the whole document.
        #expect(!requests[2].messages[1].content.contains("This step, at"))
        #expect(requests[2].schema?["properties"]?["format"] != nil || requests[2].schema?["anyOf"] != nil)
    }
}

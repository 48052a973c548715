import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// An approval or callback wait the request asks for with its time, added where the request's clauses put it, with
/// the steps it speaks of for a timeout as `onTimeout` and, after an approval, the rest only when approved.
@Suite struct WaitStepTests {
    static let create = #"{"id": "create_request", "kind": "call", "connector": "erp", "operation": "createPurchaseRequest", "body": {"requester": "ann", "item": "parts", "amount": 10}}"#
    static let approve = #"{"id": "approve_request", "kind": "call", "connector": "erp", "operation": "approvePurchaseRequest", "params": {"requestId": "${create_request.requestId}"}, "body": {"approver": "lee"}}"#
    static let reject = #"{"id": "reject_request", "kind": "call", "connector": "erp", "operation": "rejectPurchaseRequest", "params": {"requestId": "${create_request.requestId}"}, "body": {"approver": "lee"}}"#
    static let page = #"{"id": "page", "kind": "call", "connector": "incidents", "operation": "pageOnCall", "params": {"incidentId": "${trigger.incidentId}"}, "body": {"escalationPolicy": "default", "message": "sev1"}}"#
    static let post = ##"{"id": "escalate", "kind": "call", "connector": "chat", "operation": "postMessage", "body": {"channel": "#ops", "text": "Nobody acknowledged"}}"##
    static let book = #"{"id": "book_flight", "kind": "call", "connector": "travel", "operation": "bookFlight", "body": {"traveler": "Ann", "from": "LIS", "to": "BER", "date": "2026-12-24"}}"#
    static let text = #"{"id": "text_traveller", "kind": "call", "connector": "sms", "operation": "sendSms", "body": {"to": "+351900000000", "body": "${book_flight.bookingId}"}}"#

    /// The draft with `steps`, with the wait `WaitSteps` adds to it, validated.
    static func added(_ steps: [String], request: String, trigger: String = #"{"type": "manual"}"#, arranging: Bool = true) throws -> (document: JSONValue, notes: [String])? {
        let draft = try JSONParser.parse(#"{"format": 1, "name": "t", "trigger": \#(trigger), "steps": [\#(steps.joined(separator: ", "))]}"#)
        try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(document: draft).isValid)
        guard let added = WaitSteps.added(to: draft, for: request, arranging: arranging) else { return nil }
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(document: added.document)
        #expect(result.isValid, "\(result.diagnostics)")
        return added
    }

    static func ids(_ document: JSONValue, _ pointer: String) -> [String] {
        JSONPointer.resolve(pointer, in: document)?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    @Test func theKindAndTimeComeFromTheClauseThatAsksForIt() {
        #expect(WaitSteps.plan(for: "Raise a purchase request; if it costs more than 1000, wait up to 3 days for a manager to approve it, then approve it.")
            == .init(kind: .approval, timeout: "3d", clause: 2))
        #expect(WaitSteps.plan(for: "Page on-call and wait up to 15 minutes for them to acknowledge it through a callback.")?.timeout == "15m")
        #expect(WaitSteps.plan(for: "Ask the travel manager for approval and give them one day, then book it.")?.timeout == "1d")
        #expect(WaitSteps.plan(for: "Delete the customer, but first wait for the officer to approve it, giving them 2 days before it is dropped.")
            == .init(kind: .approval, timeout: "2d", clause: 1))
        #expect(WaitSteps.plan(for: "Send the quote and wait a week for the customer to call back.") == .init(kind: .callback, timeout: "7d", clause: 0))
        #expect(WaitSteps.plan(for: "Wait 48 hours for the supplier's callback.")?.timeout == "48h")
        // No time given, or the time is not the wait's: the model is asked for it instead.
        #expect(WaitSteps.plan(for: "Delete the customer once the officer approves it.") == nil)
        #expect(WaitSteps.plan(for: "Approve the purchase request in the ERP, then email the requester within 2 days.") == nil)
    }

    @Test func aCallbackWaitComesAfterTheCallBeforeItAndWhatItsTimeoutSaysRunsOnTimeout() throws {
        let request = "Create a purchase request for spare parts, then wait up to 5 days for the supplier to call back with a quote; if they never do, reject the request."
        let (document, notes) = try #require(try Self.added([Self.create, Self.reject], request: request))
        #expect(Self.ids(document, "/steps") == ["create_request", "wait_for_callback"])
        #expect(JSONPointer.resolve("/steps/1/for", in: document) == "callback")
        #expect(JSONPointer.resolve("/steps/1/timeout", in: document) == "5d")
        #expect(Self.ids(document, "/steps/1/onTimeout") == ["reject_request"])
        #expect(notes.first?.hasPrefix("/steps/1: the request says \"wait up to 5 days for the supplier to call back with a quote\"") == true, "\(notes)")

        // The call before it in its own clause ("page on-call and wait ..."), the escalation after "if nobody does".
        let acknowledged = "When a sev1 incident opens, page on-call and wait up to 15 minutes for them to acknowledge it through a callback; if nobody does, post an escalation to #ops."
        let event = #"{"type": "event", "event": "incident.opened"}"#
        let (paged, _) = try #require(try Self.added([Self.page, Self.post], request: acknowledged, trigger: event))
        #expect(Self.ids(paged, "/steps") == ["page", "wait_for_callback"])
        #expect(Self.ids(paged, "/steps/1/onTimeout") == ["escalate"])
        #expect(JSONPointer.resolve("/steps/1/timeout", in: paged) == "15m")
    }

    @Test func afterAnApprovalTheRestRunsOnlyWhenApproved() throws {
        // "first" and "before" put the wait ahead of the calls the words before it speak of.
        let erasure = "Delete a customer from the CRM on request, but first wait for the data protection officer to approve it, giving them 2 days."
        let delete = #"{"id": "delete", "kind": "call", "connector": "crm", "operation": "deleteCustomer", "params": {"customerId": "c1"}}"#
        let (erased, _) = try #require(try Self.added([delete], request: erasure))
        #expect(Self.ids(erased, "/steps") == ["wait_for_approval", "if_approved"])
        #expect(JSONPointer.resolve("/steps/1/if", in: erased) == "wait_for_approval.approved == true")
        #expect(Self.ids(erased, "/steps/1/then") == ["delete"])

        let trip = "Before booking a flight that costs more than 2000, ask the travel manager for approval and give them one day; then book it and text the traveller the booking reference."
        let (booked, _) = try #require(try Self.added([Self.book, Self.text], request: trip))
        #expect(Self.ids(booked, "/steps") == ["wait_for_approval", "if_approved"])
        #expect(Self.ids(booked, "/steps/1/then") == ["book_flight", "text_traveller"])
        #expect(JSONPointer.resolve("/steps/0/timeout", in: booked) == "1d")

        // A rejecting call runs when it was not approved.
        let purchase = "Raise a purchase request for equipment; if it costs more than 1000, wait up to 3 days for a manager to approve it, then approve or reject it in the ERP."
        let (decided, notes) = try #require(try Self.added([Self.create, Self.approve, Self.reject], request: purchase))
        #expect(Self.ids(decided, "/steps") == ["create_request", "wait_for_approval", "if_approved"])
        #expect(Self.ids(decided, "/steps/2/then") == ["approve_request"])
        #expect(Self.ids(decided, "/steps/2/else") == ["reject_request"])
        #expect(notes.last == "approve_request run only when approved, reject_request only when not")
        // A condition the request puts before the wait guards the calls after the wait, and the wait goes in with them.
        let guarded = try #require(ConditionSteps.target(in: try JSONParser.parse(
            #"{"format": 1, "name": "t", "steps": [\#(Self.create), \#(Self.approve), \#(Self.reject)]}"#), for: purchase))
        #expect(guarded.ids == ["approve_request", "reject_request"])
        let costly = #"{"id": "costly", "kind": "condition", "if": "create_request.status == 'pending_approval'", "then": [\#(Self.approve), \#(Self.reject)]}"#
        let (nested, nestedNotes) = try #require(try Self.added([Self.create, costly], request: purchase))
        #expect(Self.ids(nested, "/steps") == ["create_request", "costly"])
        #expect(Self.ids(nested, "/steps/1/then") == ["wait_for_approval", "if_approved"])
        #expect(Self.ids(nested, "/steps/1/then/1/then") == ["approve_request"] && Self.ids(nested, "/steps/1/then/1/else") == ["reject_request"])
        #expect(nestedNotes.first?.hasPrefix("/steps/1/then/0: ") == true, "\(nestedNotes)")
        // Not arranged: the wait alone, where it goes.
        let (plain, _) = try #require(try Self.added([Self.create, Self.approve, Self.reject], request: purchase, arranging: false))
        #expect(Self.ids(plain, "/steps") == ["create_request", "wait_for_approval", "approve_request", "reject_request"])
    }

    @Test func aDraftWithSuchAWaitOrARequestWithoutOneIsLeftAlone() throws {
        let wait = #"{"id": "quote", "kind": "wait", "for": "callback", "timeout": "2d"}"#
        let request = "Create a purchase request, then wait up to 5 days for the supplier to call back."
        #expect(try Self.added([Self.create, wait], request: request) == nil)
        #expect(try Self.added([Self.create], request: "Create a purchase request, then email the requester.") == nil)
    }

    /// The composer adds the wait when the composition ends, without a round for it; an arrangement that leaves the
    /// draft invalid (a step after it reads the one moved into `onTimeout`) gives way to the wait alone.
    @Test func theComposerAddsTheWaitWithoutAskingTheModel() async throws {
        let acknowledged = "When a sev1 incident opens, page on-call and wait up to 15 minutes for them to acknowledge it through a callback; if nobody does, post an escalation to #ops."
        func draft(_ steps: [String]) -> String {
            #"{"format": 1, "name": "ack", "trigger": {"type": "event", "event": "incident.opened"}, "steps": [\#(steps.joined(separator: ", "))]}"#
        }
        let model = ScriptedSchemaModel([draft([Self.page, Self.post])])
        let composition = await PromptShapeTests.composer(model).compose(acknowledged)
        let document = try #require(composition.document)
        #expect(model.requests.withLock { $0.count } == 1)
        #expect(composition.record.outcome == .repairedDeterministically)
        #expect(Self.ids(document, "/steps/1/onTimeout") == ["escalate"])
        #expect(composition.record.rounds.last?.repairs.contains { $0.contains("callback wait \"wait_for_callback\"") } == true)

        let reads = #"{"id": "log", "kind": "transform", "output": {"sent": "${escalate.ts}"}}"#
        let reading = ScriptedSchemaModel([draft([Self.page, Self.post, reads])])
        let plain = try #require(await PromptShapeTests.composer(reading).compose(acknowledged).document)
        #expect(Self.ids(plain, "/steps") == ["page", "wait_for_callback", "escalate", "log"])
    }

    @Test func aRejectionTheRequestAsksForIsAStepWhenNothingFails() throws {
        let gaps = try DraftCompletionTests.gaps(
            #"{"format": 1, "name": "t", "steps": [\#(Self.create)]}"#,
            for: "Create a purchase request for spare parts, then wait up to 5 days for the supplier to call back with a quote; if they never do, reject the request.")
        #expect(gaps.contains { $0.contains("erp.rejectPurchaseRequest") }, "\(gaps)")
        #expect(!gaps.contains { $0.contains("callback") }, "the wait is added without the model: \(gaps)")
        // Not a clause saying what happened, nor an undo when something fails: those are a trigger and a compensation.
        let note = #"{"format": 1, "name": "t", "steps": [{"id": "n", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "c"}, "body": {"text": "x"}}]}"#
        for request in ["When a payment is refunded, add a note to the customer's CRM record.", "Add a note to the CRM record; if that fails, refund the charge."] {
            #expect(try !DraftCompletionTests.gaps(note, for: request).contains { $0.contains("refundCharge") }, "\(request)")
        }
        #expect(try DraftCompletionTests.gaps(note, for: "Add a note to the CRM record, then refund the charge.").contains { $0.contains("refundCharge") })
        // Beside the clause asking for an approval, "approve" names the operation.
        let approvals = try DraftCompletionTests.gaps(
            #"{"format": 1, "name": "t", "steps": [\#(Self.create)]}"#,
            for: "Raise a purchase request for equipment; wait up to 3 days for a manager to approve it, then approve or reject it in the ERP.")
        #expect(approvals.contains { $0.contains("erp.approvePurchaseRequest") } && approvals.contains { $0.contains("erp.rejectPurchaseRequest") }, "\(approvals)")
    }

    @Test func aTimeWrittenAsADurationIsTheTimeout() throws {
        let wait = #"{"id": "quote", "kind": "wait", "for": "callback", "duration": "5d"}"#
        let attempt = RequestedStructureTests.check([wait], request: "Wait for the supplier.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/timeout", in: document) == "5d" && JSONPointer.resolve("/steps/0/duration", in: document) == nil)
        #expect(attempt.repairs.contains("/steps/0/duration → /steps/0/timeout (a callback wait has a timeout)"))
    }

    @Test func aSignOffWithItsTimeBeforeItOrInTheClauseAboutNoAnswerIsAnApproval() throws {
        // The time in the clause that asks for the sign-off; "run out" is the timeout, "reject it instead" its step.
        let laptop = "Submit a purchase request for a laptop. Finance get 48 hours to sign it off: once they approve, approve the request in the ERP; if the 48 hours run out, reject it instead."
        #expect(WaitSteps.plan(for: laptop) == .init(kind: .approval, timeout: "48h", clause: 1))
        let (document, _) = try #require(try Self.added([Self.create, Self.approve, Self.reject], request: laptop))
        #expect(Self.ids(document, "/steps") == ["create_request", "wait_for_approval", "if_approved"])
        #expect(Self.ids(document, "/steps/1/onTimeout") == ["reject_request"])
        #expect(Self.ids(document, "/steps/2/then") == ["approve_request"])
        // The time only in the clause about nobody answering.
        let removal = "The purchase request has to be signed off by the sales manager first. If they approve, approve it in the ERP; if they have not answered within 12 hours, drop it."
        #expect(WaitSteps.plan(for: removal) == .init(kind: .approval, timeout: "12h", clause: 0))
        // A time in a clause about something else is still not the wait's.
        #expect(WaitSteps.plan(for: "Get it signed off by finance, then email the requester within 2 days.") == nil)
    }
}

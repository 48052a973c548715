import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// Structures a request names in words and a valid draft leaves out (work at once, a retry, a callback wait),
/// built from the draft's own steps where the request's clauses settle which; nothing where they do not.
@Suite struct RequestedStructureTests {
    static func check(_ steps: [String], request: String, trigger: String = #"{"type": "manual"}"#) -> Composer.Attempt {
        Composer.check(
            #"{"format": 1, "name": "t", "trigger": \#(trigger), "inputs": [{"name": "incidentId", "required": true}], "steps": [\#(steps.joined(separator: ", "))]}"#,
            validator: WorkflowValidator(catalog: Fixtures.catalog), request: request)
    }

    static let update = #"{"id": "update_status", "kind": "call", "connector": "incidents", "operation": "updateIncident", "params": {"incidentId": "${input.incidentId}"}, "body": {"status": "resolved"}}"#
    static let post = #"{"id": "post_chat", "kind": "call", "connector": "chat", "operation": "postMessage", "body": {"channel": "ops", "text": "Resolved"}}"#
    static let email = #"{"id": "email_stakeholders", "kind": "call", "connector": "email", "operation": "sendEmail", "body": {"to": "ops@example.com", "subject": "Resolved", "text": "Resolved"}}"#
    static let hotel = #"{"id": "book_hotel", "kind": "call", "connector": "travel", "operation": "bookHotel", "body": {"traveler": "Ann", "city": "Lisbon", "checkIn": "2026-12-24", "nights": 3}}"#

    /// The draft as `ParallelSteps` leaves it, validated.
    static func atOnce(_ steps: [String], request: String) throws -> (document: JSONValue, notes: [String])? {
        let draft = try #require(Self.check(steps, request: request).workflow?.document)
        guard let (document, notes) = ParallelSteps.added(to: draft, for: request, catalog: Fixtures.catalog) else { return nil }
        #expect(WorkflowValidator(catalog: Fixtures.catalog).validate(document: document).isValid)
        return (document, notes)
    }

    @Test func theCallsAClauseSaysToDoAtOnceBecomeBranches() throws {
        let (document, notes) = try #require(try Self.atOnce(
            [Self.update, Self.post, Self.email],
            request: "When an incident is resolved, update the incident status; then, at the same time, post in the chat channel and email the stakeholders."))
        #expect(JSONPointer.resolve("/steps/0/id", in: document) == "update_status")
        #expect(JSONPointer.resolve("/steps/1/kind", in: document) == "parallel")
        #expect(JSONPointer.resolve("/steps/1/branches/0/steps/0/id", in: document) == "post_chat")
        #expect(JSONPointer.resolve("/steps/1/branches/1/steps/0/id", in: document) == "email_stakeholders")
        #expect(JSONPointer.resolve("/steps/2", in: document) == nil)
        #expect(notes == ["/steps/1: the request says to do post_chat, email_stakeholders at the same time: they are the branches of parallel step \"at_the_same_time\""])
    }

    @Test func callsThatAreNotSideBySideOrNotNamedStayAsTheyAre() throws {
        // The email comes between the two calls the clause names: branches would change the order of the work.
        #expect(try Self.atOnce(
            [Self.post, Self.email, Self.update],
            request: "Post in the chat channel and update the incident status at the same time, and then email the stakeholders.") == nil)
        // One call named is no parallel work.
        #expect(try Self.atOnce([Self.update, Self.post], request: "Post in the chat channel at the same time as the others.") == nil)
    }

    @Test func aRetryGoesOnTheCallItsClauseOrTheOneBeforeSpeaksOf() throws {
        let attempt = Self.check(
            [Self.hotel, Self.email],
            request: "Book a hotel for a conference, retrying up to 5 times if the booking service is busy, and email the attendee the confirmation.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/retry/maxAttempts", in: document) == 6)
        #expect(JSONPointer.resolve("/steps/1/retry", in: document) == nil)
        #expect(attempt.repairs.contains { $0.hasPrefix("/steps/0: the request asks to retry book_hotel") })
        #expect(RetrySteps.maxAttempts(in: " at most three attempts ") == 3)
        #expect(RetrySteps.maxAttempts(in: " retry it ") == 3)
        #expect(RetrySteps.maxAttempts(in: " retry 40 times ") == 20)
    }

    @Test func callsRetriedTogetherBecomeOneGroupWithTheRetry() throws {
        let charge = #"{"id": "charge", "kind": "call", "connector": "payments", "operation": "createCharge", "body": {"amount": 120, "currency": "EUR", "customerId": "c1"}}"#
        let update = #"{"id": "update_crm", "kind": "call", "connector": "crm", "operation": "updateCustomer", "params": {"customerId": "c1"}, "body": {"status": "active"}}"#
        let attempt = Self.check(
            [charge, update],
            request: "Charge the customer's card for the renewal and update their CRM record, treating the two as one block retried together up to three times.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/kind", in: document) == "group")
        #expect(JSONPointer.resolve("/steps/0/steps/1/id", in: document) == "update_crm")
        #expect(JSONPointer.resolve("/steps/0/retry/maxAttempts", in: document) == 4)
    }

    @Test func aBlockRunAgainWhenItFailsIsAGroupWithTheRetry() throws {
        let reserve = #"{"id": "reserve", "kind": "call", "connector": "inventory", "operation": "reserveVehicle", "params": {"vin": "V1"}, "body": {"customerId": "c1"}}"#
        let note = #"{"id": "note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "c1"}, "body": {"text": "Demo car reserved"}}"#
        let attempt = Self.check(
            [reserve, note],
            request: "Reserve the demo vehicle for the customer and log a note on their CRM record. The two belong together as one block; if the block fails, run the whole thing again, at most two more times.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/kind", in: document) == "group")
        #expect(Self.ids(JSONPointer.resolve("/steps/0/steps", in: document)) == ["reserve", "note"])
        #expect(JSONPointer.resolve("/steps/0/retry/maxAttempts", in: document) == 3)
        #expect(RetrySteps.maxAttempts(in: " run it again at most five more times ") == 6)
    }

    @Test func aDeclinedChargeUndoesTheReservationBeforeIt() throws {
        let reserve = #"{"id": "reserve_stock", "kind": "call", "connector": "erp", "operation": "reserveStock", "params": {"orderId": "o1"}}"#
        let charge = #"{"id": "charge", "kind": "call", "connector": "payments", "operation": "createCharge", "body": {"amount": 120, "currency": "EUR", "customerId": "c1"}}"#
        let attempt = Self.check([reserve, charge], request: "Reserve the stock for the order, then charge the buyer's card. If the charge is declined, the stock reservation has to be released again.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/compensate/operation", in: document) == "releaseStock", "\(attempt.repairs)")
        #expect(JSONPointer.resolve("/steps/0/retry", in: document) == nil, "released again is no retry")
    }

    @Test func aCompensationNobodyAskedForIsTheNextStep() throws {
        let health = ##"{"id": "check", "kind": "call", "connector": "incidents", "operation": "getServiceHealth", "params": {"service": "payments-api"}, "compensate": {"id": "warn", "kind": "call", "connector": "chat", "operation": "postMessage", "body": {"channel": "#ops", "text": "Warning"}}}"##
        let attempt = Self.check([health], request: "Look at the health of payments-api and put a warning in #ops.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(Self.ids(document["steps"]) == ["check", "warn"])
        #expect(JSONPointer.resolve("/steps/0/compensate", in: document) == nil)
        // A request that speaks of failing keeps it.
        let failing = Self.check([health], request: "Look at the health of payments-api; if that fails, put a warning in #ops.")
        #expect(failing.workflow.flatMap { JSONPointer.resolve("/steps/0/compensate/id", in: $0.document) } == "warn")
    }

    static func ids(_ list: JSONValue?) -> [String] { list?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [] }

    @Test func aRetryNoClauseTiesToACallIsNotAdded() throws {
        let attempt = Self.check([Self.hotel, Self.email], request: "Email the attendee. If anything goes wrong, retry.")
        #expect(attempt.workflow?.document.jsonText.contains("retry") == false)
    }

    @Test func anApprovalWaitTheRequestCallsACallbackBecomesOne() throws {
        let wait = #"{"id": "wait_for_quote", "kind": "wait", "for": "approval", "timeout": "5d", "approvers": ["supplier"], "onTimeout": [\#(Self.post)]}"#
        let request = "Book a hotel, then wait up to 5 days for the supplier to call back with a quote; if they never do, post in the chat channel."
        let attempt = Self.check([Self.hotel, wait], request: request)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/1/for", in: document) == "callback")
        #expect(JSONPointer.resolve("/steps/1/approvers", in: document) == nil)
        #expect(JSONPointer.resolve("/steps/1/onTimeout/0/id", in: document) == "post_chat")
        // A request that asks for an approval keeps it.
        let approval = Self.check([Self.hotel, wait], request: request.replacingOccurrences(of: "call back with a quote", with: "approve the quote or call back"))
        #expect(JSONPointer.resolve("/steps/1/for", in: try #require(approval.workflow?.document)) == "approval")
    }

    @Test func conditionsInARowTheRequestCallsRoutesBecomeOneSwitch() throws {
        func condition(_ id: String, _ test: String) -> String {
            #"{"id": "\#(id)", "kind": "condition", "if": "\#(test)", "then": [{"id": "\#(id)_note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "c1"}, "body": {"text": "\#(id)"}}]}"#
        }
        let steps = [condition("over_100k", "input.value > 100000"), condition("over_10k", "input.value > 10000")]
        let request = "Route the customer by tier: over 100000 add a note for the key account team, over 10000 add a note for the account manager."
        let attempt = Self.check(steps, request: request)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/kind", in: document) == "switch")
        #expect(JSONPointer.resolve("/steps/0/cases/0/when", in: document) == "input.value > 100000")
        #expect(JSONPointer.resolve("/steps/0/cases/1/steps/0/id", in: document) == "over_10k_note")
        #expect(JSONPointer.resolve("/steps/1", in: document) == nil)
        // Without a word of routing, conditions in a row are each the request's own test.
        let both = Self.check(steps, request: request.replacingOccurrences(of: "Route the customer by tier:", with: "For a customer,"))
        #expect(JSONPointer.resolve("/steps/0/kind", in: try #require(both.workflow?.document)) == "condition")
    }
}

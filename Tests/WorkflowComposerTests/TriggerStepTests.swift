import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// The trigger a request plainly says, put on a draft that has another: a webhook it names, or the event it opens
/// with when nothing says a person starts it.
@Suite struct TriggerStepTests {
    static let note = #"{"id": "note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "c1"}, "body": {"text": "Refund"}}"#

    static func check(_ request: String, trigger: String = #"{"type": "manual"}"#) -> Composer.Attempt {
        Composer.check(
            #"{"format": 1, "name": "Refund notes", "trigger": \#(trigger), "steps": [\#(note)]}"#,
            validator: WorkflowValidator(catalog: Fixtures.catalog), request: request)
    }

    @Test func theEventARequestOpensWithIsWhatHappenedToWhat() {
        #expect(TriggerSteps.event(in: " once a shipment has been created for an order ") == "shipment.created")
        #expect(TriggerSteps.event(in: " whenever a card payment fails ") == "payment.failed")
        #expect(TriggerSteps.event(in: " each time an incident's severity is raised ") == "severity.raised")
        #expect(TriggerSteps.event(in: " when a customer signs up ") == "customer.signed")
        #expect(TriggerSteps.event(in: " when a new lead comes in through the website ") == "lead.arrived")
        #expect(TriggerSteps.event(in: " when i start it by hand with a charge id ") == nil)
        #expect(TriggerSteps.event(in: " look up the charge ") == nil)
    }

    @Test func aDraftStartedByHandGetsTheEventItsRequestOpensWith() throws {
        let attempt = Self.check("Once a refund has been issued, add a note about it to the customer's CRM record.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(document["trigger"] == .object(JSONObject([("type", "event"), ("event", "refund.issued")])))
        #expect(attempt.repairs.contains { $0.hasPrefix("/trigger: the request opens with what happens: \"once a refund has been issued\"") }, "\(attempt.repairs)")
        // Said to be started by hand, on a schedule, or already started by something else: left as it is.
        for request in [
            "When I run it by hand, add a note to the customer's CRM record.",
            "When the clock strikes, every Monday, add a note to the customer's CRM record.",
        ] {
            #expect(Self.check(request).workflow?.document["trigger"]?["type"] == "manual", "\(request)")
        }
        let scheduled = Self.check("When a refund is issued, add a note.", trigger: #"{"type": "schedule", "cron": "0 8 * * *"}"#)
        #expect(scheduled.workflow?.document["trigger"]?["type"] == "schedule")
    }

    @Test func aWebhookTheRequestNamesIsTheTrigger() throws {
        let attempt = Self.check(
            "When a refund notification hits our webhook, add a note about it to the customer's CRM record.",
            trigger: #"{"type": "event", "event": "refund.notified"}"#)
        let trigger = try #require(attempt.workflow?.document["trigger"], "\(attempt.diagnostics)")
        #expect(trigger["type"] == "webhook")
        #expect(trigger["path"] == "/hooks/refund-notes")
        #expect(trigger["secret"] == "REFUND_NOTES_WEBHOOK_SECRET")
    }
}

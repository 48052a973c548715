import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// The repairs the validator's diagnostics make certain: the mistakes small models make most.
@Suite struct GuidedRepairTests {
    static func check(_ text: String) -> Composer.Attempt {
        Composer.check(text, validator: WorkflowValidator(catalog: Fixtures.catalog))
    }

    static func send(_ id: String, to: String) -> String {
        #"{"id": "\#(id)", "kind": "call", "connector": "email", "operation": "sendEmail", "body": {"to": "\#(to)", "subject": "Hi", "text": "Hello"}}"#
    }

    @Test func aStepAfterALoopThatReadsWhatTheLoopHoldsRunsInIt() throws {
        let decode = #"{"id": "decode", "kind": "call", "connector": "vpic", "operation": "decodeVinValues", "params": {"vin": "${vin}", "format": "json"}}"#
        let loop = #"{"id": "each_vehicle", "kind": "foreach", "items": "input.vins", "as": "vin", "concurrency": 4, "steps": [\#(decode)]}"#
        let store = #"{"id": "store", "kind": "call", "connector": "inventory", "operation": "upsertVehicle", "params": {"vin": "${vin}"}, "body": {"make": "${decode.Results[0].Make}", "model": "M", "year": 2020}}"#
        let attempt = Self.check(#"{"format": 1, "name": "t", "inputs": [{"name": "vins", "type": "array"}], "steps": [\#(loop), \#(store), \#(Self.send("done", to: "ops@example.com"))]}"#)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(WaitStepTests.ids(document, "/steps") == ["each_vehicle", "done"])
        #expect(WaitStepTests.ids(document, "/steps/0/steps") == ["decode", "store"])
        #expect(attempt.repairs.contains("/steps/0: store reads what the loop before it holds, so it runs in it"), "\(attempt.repairs)")
    }

    @Test func anInputUsedButNotDeclaredIsDeclared() throws {
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(Self.send("welcome", to: "${input.email}"))]}"#)
        let definition = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(definition.inputs.map(\.name) == ["email"])
        #expect(attempt.repairs.contains { $0.contains("declared the input \"email\"") })
    }

    @Test func aDuplicateStepIdIsRenamedWithTheReferencesAfterIt() throws {
        let steps = [
            #"{"id": "find", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "a@b.c"}}"#,
            Self.send("notify", to: "${find.items[0].email}"),
            #"{"id": "find", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "x"}}"#,
            Self.send("notify_again", to: "${find.email}"),
        ].joined(separator: ", ")
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps)]}"#)
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        let document = try #require(attempt.document)
        #expect(JSONPointer.resolve("/steps/2/id", in: document) == "find_2")
        // Before the second step: the first; after it: the second.
        #expect(JSONPointer.resolve("/steps/1/body/to", in: document) == "${find.items[0].email}")
        #expect(JSONPointer.resolve("/steps/3/body/to", in: document) == "${find_2.email}")
    }

    /// A step named after its kind: the renamed one keeps its kind and its words; a later test still follows it.
    @Test func aDuplicateIdRenamesReferencesOnlyInExpressions() throws {
        let fail = #"{"id": "fail", "kind": "fail", "error": "fail", "message": "fail"}"#
        let steps = [
            #"{"id": "check", "kind": "condition", "if": "1 == 2", "then": [\#(fail)]}"#, fail,
            #"{"id": "after", "kind": "condition", "if": "fail.x == 1", "then": [\#(Self.send("mail", to: "a@b.c"))]}"#,
        ].joined(separator: ", ")
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps)]}"#)
        let document = try #require(attempt.document)
        #expect(JSONPointer.resolve("/steps/1/id", in: document) == "fail_2")
        #expect(JSONPointer.resolve("/steps/1/kind", in: document) == "fail")
        #expect(JSONPointer.resolve("/steps/1/error", in: document) == "fail" && JSONPointer.resolve("/steps/1/message", in: document) == "fail")
        #expect(JSONPointer.resolve("/steps/2/if", in: document) == "fail_2.x == 1")
    }

    @Test(arguments: [("find", "find_customer"), ("send_emial", "send_email"), ("customer", "find_customer")])
    func aReferenceOneObviousRenameAwayIsFixed(written: String, meant: String) throws {
        let steps = [
            #"{"id": "find_customer", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "a@b.c"}}"#,
            #"{"id": "check", "kind": "condition", "if": "length(\#(written).items) == 0", "then": [\#(Self.send("send_email", to: "a@b.c"))]}"#,
        ].joined(separator: ", ")
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps)]}"#)
        if written == "send_emial" {
            // send_email is inside the branch, so the renamed reference is still not allowed: not kept.
            #expect(attempt.definition == nil)
            return
        }
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(attempt.document.flatMap { JSONPointer.resolve("/steps/1/if", in: $0) } == .string("length(\(meant).items) == 0"))
    }

    @Test func aDeclaredInputWrittenWithoutInputIsPointedAtIt() throws {
        let step = #"{"id": "raise", "kind": "call", "connector": "erp", "operation": "createPurchaseRequest", "body": {"requester": "ops", "item": "${equipment}", "amount": 1200}}"#
        let attempt = Self.check(#"{"format": 1, "name": "t", "inputs": [{"name": "equipment", "type": "string"}], "steps": [\#(step)]}"#)
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(attempt.document.flatMap { JSONPointer.resolve("/steps/0/body/item", in: $0) } == "${input.equipment}")
        #expect(attempt.repairs.contains { $0.contains("→ \"input.equipment\" (the declared input)") })
        // Not declared: left for the model (no guess at what it meant).
        let undeclared = Self.check(#"{"format": 1, "name": "t", "steps": [\#(step)]}"#)
        #expect(undeclared.definition == nil)
    }

    @Test func theFieldGuidesStepNameIsPointedAtTheStepThatDoesIt() throws {
        let steps = [
            #"{"id": "search_customer", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "a@b.c"}}"#,
            Self.send("send_offer", to: "${find_customer.items[0].email}"),
        ].joined(separator: ", ")
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps)]}"#)
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(attempt.document.flatMap { JSONPointer.resolve("/steps/1/body/to", in: $0) } == "${search_customer.items[0].email}")
    }

    @Test func aNameNoStepHasIsPointedAtTheOneStepThatReturnsTheFieldItReads() throws {
        let search = #"{"id": "lookup_account", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "a@b.c"}}"#
        let order = #"{"id": "order", "kind": "call", "connector": "erp", "operation": "getOrder", "params": {"orderId": "1"}}"#
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(search), \#(order), \#(Self.send("mail", to: "${find_customer.items[0].email}"))]}"#)
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(attempt.document.flatMap { JSONPointer.resolve("/steps/2/body/to", in: $0) } == "${lookup_account.items[0].email}")
        #expect(attempt.repairs.contains { $0.contains("→ \"lookup_account\" (the one step it may read that gives \"items\")") })
        // Two steps that return it: left for the model; so is one that runs later, which may not be read there.
        let twice = search.replacingOccurrences(of: "lookup_account", with: "lookup_again")
        #expect(Self.check(#"{"format": 1, "name": "t", "steps": [\#(search), \#(twice), \#(Self.send("mail", to: "${find_customer.items[0].email}"))]}"#).definition == nil)
        #expect(Self.check(#"{"format": 1, "name": "t", "steps": [\#(Self.send("mail", to: "${find_customer.items[0].email}")), \#(search)]}"#).definition == nil)
        // A field no step returns is not pointed at a step.
        let nothing = Self.check(#"{"format": 1, "name": "t", "steps": [\#(search), \#(Self.send("mail", to: "${find_customer.nothing}"))]}"#)
        #expect(nothing.document.flatMap { JSONPointer.resolve("/steps/1/body/to", in: $0) } != "${lookup_account.nothing}")
    }

    @Test func dataNoStepGivesIsReadFromTheTriggerOrAnInput() throws {
        let create = #"{"id": "create_lead", "kind": "call", "connector": "crm", "operation": "createCustomer", "body": {"name": "${find_customer.name}", "email": "${input.email}", "phone": "${find_customer.phone} / ${find_customer.phone}"}}"#
        let manual = Self.check(#"{"format": 1, "name": "t", "trigger": {"type": "manual"}, "inputs": [{"name": "email"}], "steps": [\#(create)]}"#)
        let definition = try #require(manual.definition, "\(manual.diagnostics)")
        #expect(definition.inputs.map(\.name) == ["email", "name", "phone"])
        #expect(manual.document.flatMap { JSONPointer.resolve("/steps/0/body/phone", in: $0) } == "${input.phone} / ${input.phone}")
        #expect(manual.repairs.contains { $0.contains("→ \"input\" (no step gives it: an input)") })
        // Started by an event or a webhook, the data comes with it.
        let hook = Self.check(#"{"format": 1, "name": "t", "trigger": {"type": "webhook", "path": "/hooks/lead", "secret": "LEAD_SECRET"}, "inputs": [{"name": "email"}], "steps": [\#(create)]}"#)
        _ = try #require(hook.definition, "\(hook.diagnostics)")
        #expect(hook.document.flatMap { JSONPointer.resolve("/steps/0/body/name", in: $0) } == "${trigger.name}")
        #expect(hook.document?["inputs"]?.arrayValue?.count == 1)
        // A payload is any JSON: it may be read deeper, by index too (the guide's `find_customer.items[0]` copied).
        let bounced = Self.check(#"{"format": 1, "name": "t", "trigger": {"type": "event", "event": "email.bounced"}, "steps": [\#(Self.send("mail", to: "${get_email.message.from}"))]}"#)
        #expect(bounced.document.flatMap { JSONPointer.resolve("/steps/0/body/to", in: $0) } == "${trigger.message.from}", "\(bounced.diagnostics)")
        let indexed = Self.check(#"{"format": 1, "name": "t", "trigger": {"type": "event", "event": "email.bounced"}, "steps": [\#(Self.send("mail", to: "${get_email.messages[0].from}"))]}"#)
        #expect(indexed.document.flatMap { JSONPointer.resolve("/steps/0/body/to", in: $0) } == "${trigger.messages[0].from}", "\(indexed.diagnostics)")
        // Read further than one field (a list, an index), or alone: left for the model.
        // A name like the id of the step it is in is no step it may read: data as well.
        let own = Self.check(#"{"format": 1, "name": "t", "trigger": {"type": "event", "event": "vehicle.sold"}, "steps": [\#(Self.send("text_buyer", to: "${buyer.phone}"))]}"#)
        #expect(own.document.flatMap { JSONPointer.resolve("/steps/0/body/to", in: $0) } == "${trigger.phone}", "\(own.diagnostics)")
        // A loop's variable is a slip of another kind.
        for written in ["${find_customer.items[0].email}", "${find_customer}", "${find_customer.name.first}", "${item.email}"] {
            let further = Self.check(#"{"format": 1, "name": "t", "steps": [\#(Self.send("mail", to: written))]}"#)
            #expect(further.definition == nil, "\(written)")
        }
    }

    @Test func aFieldOfAStepsOutputWrittenAsANameIsPointedAtThatStep() throws {
        let lowered = #"{"id": "validate_email", "kind": "transform", "output": {"lowered_email": "${lower(input.email)}"}}"#
        let search = #"{"id": "check", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "${lowered_email}"}}"#
        let attempt = Self.check(#"{"format": 1, "name": "t", "inputs": [{"name": "email"}], "steps": [\#(lowered), \#(search), \#(Self.send("mail", to: "${total}"))]}"#)
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(attempt.document.flatMap { JSONPointer.resolve("/steps/1/params/email", in: $0) } == "${validate_email.lowered_email}")
        // A call's response field, by the catalog: `total` is searchCustomers'.
        #expect(attempt.document.flatMap { JSONPointer.resolve("/steps/2/body/to", in: $0) } == "${check.total}")
        #expect(attempt.repairs.contains { $0.contains("→ \"validate_email.lowered_email\" (the field of the one step it may read that gives it)") })
    }

    @Test func anAmbiguousReferenceIsLeftForTheModel() {
        let steps = [
            #"{"id": "get_order", "kind": "call", "connector": "erp", "operation": "getOrder", "params": {"orderId": "1"}}"#,
            #"{"id": "get_owner", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "1"}}"#,
            Self.send("mail", to: "${get_ordr.email}"),
        ].joined(separator: ", ")
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps)]}"#)
        // get_ordr is one letter from get_order and three from get_owner: one candidate. get_owder is one from each:
        // then the field decides, when one of them alone returns it (a customer has an email, an order not).
        #expect(attempt.definition != nil)
        let byField = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps.replacingOccurrences(of: "get_ordr", with: "get_owder"))]}"#)
        #expect(byField.document.flatMap { JSONPointer.resolve("/steps/2/body/to", in: $0) } == "${get_owner.email}")
        let ambiguous = Self.check(#"{"format": 1, "name": "t", "steps": [\#(steps.replacingOccurrences(of: "get_ordr.email", with: "get_owder.status"))]}"#)
        #expect(ambiguous.definition == nil)
    }

    @Test func aBodyWrittenInsideParamsIsMovedOut() throws {
        let step = #"{"id": "set_status", "kind": "call", "connector": "crm", "operation": "updateCustomer", "params": {"customerId": "c1", "body": {"status": "churned"}}}"#
        let attempt = Self.check(#"{"format": 1, "name": "t", "steps": [\#(step)]}"#)
        let document = try #require(attempt.document)
        _ = try #require(attempt.definition, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/body/status", in: document) == "churned")
        #expect(JSONPointer.resolve("/steps/0/params/body", in: document) == nil)
        #expect(attempt.repairs.contains("/steps/0/params/body → /steps/0/body"))
    }

    @Test func theNearestStepIsOneAlone() {
        #expect(DiagnosticRepairer.nearest("find", among: ["find_customer", "send"]) == "find_customer")
        #expect(DiagnosticRepairer.nearest("find", among: ["find_customer", "find_order"]) == nil)
        #expect(DiagnosticRepairer.nearest("totally_else", among: ["find_customer"]) == nil)
        // The field guide's `find_customer` written for the model's own `search_customer(s)`: a verb an API names
        // otherwise, the same thing; not when two steps fit, nor for another thing.
        #expect(DiagnosticRepairer.nearest("find_customer", among: ["search_customers", "send_sms"]) == "search_customers")
        #expect(DiagnosticRepairer.nearest("find_customer", among: ["search_customer", "get_customer"]) == nil)
        #expect(DiagnosticRepairer.nearest("find_customer", among: ["search_orders", "send_sms"]) == nil)
        #expect(DiagnosticRepairer.nearest("get_order", among: ["find_customer"]) == nil)
        #expect(DiagnosticRepairer.renameReferences(in: "Hi ${find.name}, see find.name", from: "find", to: "find_customer")
            == "Hi ${find_customer.name}, see find.name")
        #expect(DiagnosticRepairer.renameReferences(in: "length(x.find) + find.n", from: "find", to: "f2") == "length(x.find) + f2.n")
    }
}

import BatonTestSupport
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// Steps a draft does for the first item of a list a call returns, when the request asks for each item, made a loop.
@Suite struct LoopStepTests {
    static let search = #"{"id": "find", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"name": "Smith"}}"#
    static let text = #"{"id": "remind", "kind": "call", "connector": "sms", "operation": "sendSms", "body": {"to": "${find.items[0].phone}", "body": "See you tomorrow"}}"#
    static let request = "For each customer in the CRM named Smith, send them an SMS reminding them about their appointment tomorrow, five at a time."

    static func added(_ steps: [String], request: String = Self.request) throws -> (document: JSONValue, notes: [String])? {
        let draft = try JSONParser.parse(#"{"format": 1, "name": "t", "steps": [\#(steps.joined(separator: ", "))]}"#)
        try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(document: draft).isValid)
        guard let added = LoopSteps.added(to: draft, for: request, catalog: Fixtures.catalog) else { return nil }
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(document: added.document)
        #expect(result.isValid, "\(result.diagnostics)")
        return added
    }

    @Test func stepsReadingTheFirstItemRunForEachItem() throws {
        let (document, notes) = try #require(try Self.added([Self.search, Self.text]))
        #expect(WaitStepTests.ids(document, "/steps") == ["find", "for_each_items"])
        #expect(JSONPointer.resolve("/steps/1/items", in: document) == "find.items")
        #expect(JSONPointer.resolve("/steps/1/as", in: document) == "item")
        #expect(JSONPointer.resolve("/steps/1/concurrency", in: document) == 5)
        #expect(JSONPointer.resolve("/steps/1/steps/0/body/to", in: document) == "${item.phone}")
        #expect(notes == ["/steps/1: the request says to do it for each item: remind read find.items[0], so they run for each of find.items in foreach \"for_each_items\", 5 at a time"])

        // A step reading one that reads the item goes in too; one reading neither stays after the loop.
        let get = #"{"id": "customer", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "${find.items[0].id}"}}"#
        let textCustomer = #"{"id": "remind", "kind": "call", "connector": "sms", "operation": "sendSms", "body": {"to": "${customer.phone}", "body": "Hi"}}"#
        let done = #"{"id": "done", "kind": "transform", "output": {"finished": true}}"#
        let (chained, _) = try #require(try Self.added([Self.search, get, textCustomer, done]))
        #expect(WaitStepTests.ids(chained, "/steps") == ["find", "for_each_items", "done"])
        #expect(WaitStepTests.ids(chained, "/steps/1/steps") == ["customer", "remind"])
        #expect(JSONPointer.resolve("/steps/1/steps/0/params/customerId", in: chained) == "${item.id}")
    }

    @Test func nothingChangesWithoutAnItemToLoopOverOrWordsAskingForIt() throws {
        #expect(try Self.added([Self.search, Self.text], request: "Find the customer named Smith and text them a reminder.") == nil)
        let whole = #"{"id": "count", "kind": "transform", "output": {"found": "${length(find.items)}"}}"#
        #expect(try Self.added([Self.search, whole]) == nil, "the list read whole is no item")
        #expect(LoopSteps.concurrency(in: " go through the vehicles, four vehicles at a time ") == 4)
        #expect(LoopSteps.concurrency(in: " ten at a time ") == 10 && LoopSteps.concurrency(in: " for each customer ") == nil)
    }

    @Test func stepsReadingAnInputsFirstItemRunForEachOfIt() throws {
        let decode = #"{"id": "decode", "kind": "call", "connector": "vpic", "operation": "decodeVinValues", "params": {"vin": "${input.vins[0]}", "format": "json"}}"#
        let store = #"{"id": "store", "kind": "call", "connector": "inventory", "operation": "upsertVehicle", "params": {"vin": "${input.vins[0]}"}, "body": {"make": "M", "model": "X", "year": "${decode.Results[0].ModelYear}"}}"#
        let draft = try JSONParser.parse(#"{"format": 1, "name": "t", "inputs": [{"name": "vins", "type": "array", "required": true}], "steps": [\#(decode), \#(store)]}"#)
        try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(document: draft).isValid)
        let request = "Here is a list of VINs caught by a recall. Decode each of them and update that vehicle's record in the dealer inventory. Don't handle more than three at once."
        let (document, notes) = try #require(LoopSteps.added(to: draft, for: request, catalog: Fixtures.catalog))
        #expect(WorkflowValidator(catalog: Fixtures.catalog).validate(document: document).isValid)
        #expect(WaitStepTests.ids(document, "/steps") == ["for_each_vins"])
        #expect(JSONPointer.resolve("/steps/0/items", in: document) == "input.vins")
        #expect(JSONPointer.resolve("/steps/0/concurrency", in: document) == 3)
        #expect(WaitStepTests.ids(document, "/steps/0/steps") == ["decode", "store"])
        #expect(JSONPointer.resolve("/steps/0/steps/1/params/vin", in: document) == "${item}")
        #expect(notes.first?.contains("read input.vins[0]") == true, "\(notes)")
    }
}

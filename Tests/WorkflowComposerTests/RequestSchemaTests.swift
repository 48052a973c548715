import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// The schema sent for one request: a call can only name a retrieved operation, with that operation's parameters
/// and body fields, and everything else is the general document schema cut to what grammar engines enforce.
@Suite struct RequestSchemaTests {
    static let signup = "When a customer signs up, check the CRM for a duplicate by email, create the customer if new, and send a welcome email."

    static func schema(parameters: Bool = true) -> (JSONValue, Grounding) {
        let grounding = Retriever(catalog: Fixtures.catalog).ground(signup)
        return (RequestSchema.specialised(AnswerLimitTests.prompts.schema, grounding: grounding, allowRefusal: false, parameters: parameters), grounding)
    }

    /// The call variant for `connector.operation`.
    static func call(_ schema: JSONValue, _ connector: String, _ operation: String) -> JSONValue? {
        schema["$defs"]?["step"]?["anyOf"]?.arrayValue?.first {
            $0["properties"]?["connector"]?["const"]?.stringValue == connector && $0["properties"]?["operation"]?["const"]?.stringValue == operation
        }
    }

    @Test func eachRetrievedOperationIsOneCallVariantBesideTheOtherKinds() throws {
        let (schema, grounding) = Self.schema()
        let variants = try #require(schema["$defs"]?["step"]?["anyOf"]?.arrayValue)
        #expect(variants.count == grounding.operations.count + 1)
        for match in grounding.operations { #expect(Self.call(schema, match.connector, match.operation) != nil, "\(match.name)") }
        let others = try #require(variants.last)
        let kinds = others["properties"]?["kind"]?["enum"]?.arrayValue ?? []
        #expect(!kinds.contains("call") && kinds.contains("condition") && kinds.contains("foreach"))
        #expect(others["properties"]?["connector"] == nil && others["properties"]?["params"] == nil)
    }

    @Test func aCallNamesItsOperationsParametersAndRequiredBodyFields() throws {
        let (schema, _) = Self.schema()
        let search = try #require(Self.call(schema, "crm", "searchCustomers"))
        let params = try #require(search["properties"]?["params"])
        #expect(params["additionalProperties"] == false)
        #expect(params["properties"]?.objectValue?.map(\.key).sorted() == ["email", "limit", "name"])
        // `limit` is an integer, or an expression.
        #expect(params["properties"]?["limit"]?["anyOf"]?.arrayValue?.count == 2)
        #expect(search["properties"]?["body"] == nil, "a GET takes no body")
        #expect(search["required"]?.arrayValue?.contains("params") == false, "no parameter of searchCustomers is required")

        let create = try #require(Self.call(schema, "crm", "createCustomer"))
        #expect(create["required"]?.arrayValue?.contains("body") == true)
        let body = try #require(create["properties"]?["body"])
        #expect(body["required"] == ["name", "email"])
        #expect(body["properties"]?["source"]?["type"] == "string")

        let delete = try #require(Self.call(schema, "crm", "deleteCustomer"))
        #expect(delete["required"]?.arrayValue?.contains("params") == true)
        #expect(delete["properties"]?["params"]?["required"] == ["customerId"])
    }

    /// A grammar engine writes properties in the order listed: the operation, which a small model names surely, comes
    /// before the connector, which the grammar then fixes; an operation of the listing names its connector.
    @Test func aCallIsWrittenOperationFirstAndTheListingNamesTheConnector() throws {
        for parameters in [true, false] {
            let (schema, grounding) = Self.schema(parameters: parameters)
            let step = parameters ? try #require(Self.call(schema, "crm", "createCustomer")) : try #require(schema["$defs"]?["step"])
            let order = step["properties"]?.objectValue?.map(\.key) ?? []
            let operation = try #require(order.firstIndex(of: "operation"))
            let connector = try #require(order.firstIndex(of: "connector"))
            #expect(order.firstIndex(of: "kind")! < operation && operation < connector, "\(order)")
            #expect(grounding.listing.contains("\n  crm.createCustomer: POST /customers"))
        }
    }

    @Test func aCallHasOnlyTheFieldsACallMayHave() throws {
        let (schema, _) = Self.schema()
        let call = try #require(Self.call(schema, "crm", "createCustomer"))
        let fields = Set(call["properties"]?.objectValue?.keys ?? [])
        #expect(fields.isSubset(of: StepFields.allowed(for: .call)), "\(fields.subtracting(StepFields.allowed(for: .call)))")
        #expect(fields.isSuperset(of: ["id", "kind", "operation", "connector", "body", "retry", "compensate", "onError"]))
        #expect(fields.isDisjoint(with: ["steps", "branches", "then", "for"]))
        // The other kinds keep theirs.
        let other = try #require(schema["$defs"]?["step"]?["anyOf"]?.arrayValue?.last)
        #expect(other["properties"]?["steps"] != nil && other["properties"]?["branches"] != nil)
    }

    @Test func withoutParametersOnlyTheOperationsAreNamed() {
        let (schema, _) = Self.schema(parameters: false)
        #expect(schema["$defs"]?["step"]?["anyOf"] == nil)
        let operations = schema["$defs"]?["step"]?["properties"]?["operation"]?["enum"]?.arrayValue ?? []
        #expect(operations.contains("searchCustomers") && !operations.contains("bookFlight"))
    }

    @Test func theStepSchemaOfARepairRoundIsTheSameChoice() throws {
        let (schema, _) = Self.schema()
        let step = try #require(RequestSchema.step(of: schema))
        #expect(step["anyOf"]?.arrayValue?.isEmpty == false)
        #expect(step["$defs"]?["step"] != nil)
    }

    @Test(arguments: [
        ("{name*: string, email*: string, source: \"web\"|\"api, batch\"}", ["name*:string", "email*:string", "source:\"web\"|\"api, batch\""]),
        ("{orderId*: string, lines*: [{sku*: string, quantity*: integer}], address: {line1*: string, city: string}}",
         ["orderId*:string", "lines*:[{sku*: string, quantity*: integer}]", "address:{line1*: string, city: string}"]),
        ("any", []),
        ("[{id: string}]", []),
    ])
    func bodyFieldsAreReadFromTheCatalogsShape(shape: String, expected: [String]) {
        let fields = BodyFields.topLevel(of: shape).map { "\($0.name)\($0.required ? "*" : ""):\($0.type)" }
        #expect(fields == expected)
    }
}

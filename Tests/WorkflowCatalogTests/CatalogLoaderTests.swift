import BatonTestSupport
import Foundation
import Testing
import WorkflowCatalog
import WorkflowModel

@Suite struct CatalogLoaderTests {
    static let auths: [(String, ConnectorAuth)] = [
        ("chat", .bearer(secret: "TEAMTALK_BOT_TOKEN")),
        ("crm", .bearer(secret: "CRM_API_TOKEN")),
        ("email", .apiKey(header: "X-Postbox-Key", secret: "POSTBOX_API_KEY")),
        ("erp", .basic(username: "baton", secret: "ERP_PASSWORD")),
        ("incidents", .apiKey(header: "Authorization-Token", secret: "PAGERLINE_TOKEN")),
        ("inventory", .bearer(secret: "DMS_TOKEN")),
        ("payments", .bearer(secret: "PAYSTREAM_SECRET")),
        ("sms", .basic(username: "baton", secret: "TEXTLINE_PASSWORD")),
        ("travel", .apiKey(header: "X-Api-Key", secret: "WAYFARER_KEY")),
        ("vpic", .none),
    ]

    @Test func theFixtureCatalogLoadsWithoutWarnings() throws {
        let (catalog, warnings) = try CatalogLoader.loadWithWarnings(directory: Fixtures.connectors)
        #expect(catalog.connectors.map(\.name) == Self.auths.map(\.0))
        #expect(warnings.isEmpty)
        for connector in catalog.connectors {
            #expect(!connector.operations.isEmpty, "\(connector.name)")
        }
    }

    @Test(arguments: auths)
    func connectorsHaveTheirAuth(name: String, auth: ConnectorAuth) throws {
        let connector = try #require(Fixtures.catalog[name])
        #expect(connector.auth == auth)
        #expect(connector.baseURL.hasPrefix("https://"))
    }

    @Test func searchCustomersTakesAnIntegerLimit() throws {
        let operation = try #require(Fixtures.catalog["crm"]?.operation("searchCustomers"))
        #expect(operation.method == "GET")
        #expect(operation.path == "/customers")
        #expect(operation.summary == "Search customers by email or name")
        #expect(
            operation.parameter("limit")
                == OperationParameter(name: "limit", location: .query, required: false, type: .integer))
        #expect(operation.requestBody == nil)
        #expect(operation.responseShape?.hasPrefix("{items: [{id: string, name: string, email: string") == true)
        #expect(operation.responseExample?["total"] == 2)
    }

    @Test func decodeVinValuesHasItsParametersAndExample() throws {
        let operation = try #require(Fixtures.catalog["vpic"]?.operation("decodeVinValues"))
        #expect(operation.path == "/api/vehicles/DecodeVinValues/{vin}")
        #expect(
            operation.parameter("vin")
                == OperationParameter(name: "vin", location: .path, required: true, type: .string))
        #expect(
            operation.parameter("format")
                == OperationParameter(
                    name: "format", location: .query, required: true, type: .string,
                    allowedValues: ["json", "xml", "csv"]
                ))
        #expect(operation.parameter("modelyear")?.type == .integer)
        let example = try #require(operation.responseExample)
        #expect(JSONPointer.resolve("/Results/0/Make", in: example) == "BMW")
        #expect(example["Count"] == 1)
        // Examples keep the document's key order.
        #expect(example.objectValue?.keys == ["Count", "Message", "SearchCriteria", "Results"])
    }

    @Test func createCustomerRequiresNameAndEmail() throws {
        let body = try #require(Fixtures.catalog["crm"]?.operation("createCustomer")?.requestBody)
        #expect(body.required)
        #expect(body.requiredProperties == ["name", "email"])
        #expect(body.shape.hasPrefix("{name*: string, email*: string, phone: string"))
    }

    @Test func anOpenAPI30DocumentLoads() throws {
        let crm = try #require(Fixtures.catalog["crm"])
        #expect(
            crm.operations.map(\.id) == [
                "searchCustomers", "createCustomer", "getCustomer", "updateCustomer", "deleteCustomer", "addNote",
            ])
        // `nullable: true` from 3.0 survives the conversion to 3.1.
        #expect(crm.operation("getCustomer")?.responseShape?.contains("phone: string|null") == true)
        #expect(crm.operation("deleteCustomer")?.responseShape == nil)
    }

    @Test func aJSONDocumentLoads() throws {
        let email = try #require(Fixtures.catalog["email"])
        let send = try #require(email.operation("sendEmail"))
        #expect(send.method == "POST")
        #expect(send.requestBody?.requiredProperties == ["to", "subject", "text"])
        #expect(send.requestBody?.shape.contains("tags: [string]") == true)
    }

    @Test func aMissingFolderIsAnError() {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        #expect { try CatalogLoader.load(directory: missing) } throws: { error in
            (error as? CatalogError)?.code == .directoryNotFound
        }
    }

    @Test func anEmptyFolderIsAnEmptyCatalog() throws {
        let folder = try TemporaryFolder([:])
        #expect(try CatalogLoader.load(directory: folder.url).connectors.isEmpty)
    }

    struct BrokenCatalog: Sendable, CustomTestStringConvertible {
        let name: String
        let files: [String: String]
        let code: CatalogError.Code
        let file: String
        let message: String
        var testDescription: String { name }
    }

    static let broken: [BrokenCatalog] = [
        BrokenCatalog(
            name: "unknown auth type",
            files: ["crm.connector.yaml": registration(auth: "type: oauth\n  secret: X")],
            code: .invalidAuth, file: "crm.connector.yaml",
            message: "auth type \"oauth\" is not one of bearer, apiKey, basic, none"
        ),
        BrokenCatalog(
            name: "missing secret",
            files: ["crm.connector.yaml": registration(auth: "type: bearer")],
            code: .invalidAuth, file: "crm.connector.yaml", message: "auth type bearer needs \"secret\""
        ),
        BrokenCatalog(
            name: "apiKey without header",
            files: ["crm.connector.yaml": registration(auth: "type: apiKey\n  secret: KEY")],
            code: .invalidAuth, file: "crm.connector.yaml", message: "auth type apiKey needs \"header\""
        ),
        BrokenCatalog(
            name: "missing OpenAPI file",
            files: ["crm.connector.yaml": registration(openapi: "nowhere.yaml")],
            code: .missingOpenAPI, file: "crm.connector.yaml",
            message: "the OpenAPI document \"nowhere.yaml\" does not exist"
        ),
        BrokenCatalog(
            name: "invalid YAML",
            files: ["crm.connector.yaml": "name: crm\ntitle: [Acme\n"],
            code: .invalidSyntax, file: "crm.connector.yaml", message: "line 3"
        ),
        BrokenCatalog(
            name: "invalid OpenAPI YAML",
            files: ["crm.connector.yaml": registration(), "api.yaml": "openapi: 3.1.0\npaths: {\n"],
            code: .invalidOpenAPI, file: "api.yaml", message: "not valid YAML"
        ),
        BrokenCatalog(
            name: "duplicate connector name",
            files: ["a.connector.yaml": registration(), "b.connector.yaml": registration()],
            code: .duplicateConnector, file: "b.connector.yaml",
            message: "the connector name \"crm\" is already used by"
        ),
        BrokenCatalog(
            name: "duplicate operationId",
            files: ["crm.connector.yaml": registration(), "api.yaml": api(secondId: "listThings")],
            code: .duplicateOperation, file: "api.yaml",
            message: "operationId \"listThings\" is used by both GET /things and POST /things"
        ),
        BrokenCatalog(
            name: "upper-case name",
            files: ["crm.connector.yaml": registration(name: "CRM")],
            code: .invalidName, file: "crm.connector.yaml", message: "the connector name \"CRM\" must start"
        ),
        BrokenCatalog(
            name: "missing baseURL",
            files: [
                "crm.connector.yaml": registration().replacingOccurrences(
                    of: "baseURL: https://crm.example.com\n", with: "")
            ],
            code: .invalidRegistration, file: "crm.connector.yaml", message: "has no \"baseURL\""
        ),
        BrokenCatalog(
            name: "baseURL without scheme",
            files: ["crm.connector.yaml": registration().replacingOccurrences(of: "https://", with: "")],
            code: .invalidBaseURL, file: "crm.connector.yaml", message: "is not an http or https URL"
        ),
        BrokenCatalog(
            name: "unknown redirect policy",
            files: ["crm.connector.yaml": registration() + "redirects: always\n"],
            code: .invalidRegistration, file: "crm.connector.yaml", message: "redirects \"always\" is not none or same-host"
        ),
        BrokenCatalog(
            name: "Swagger 2.0",
            files: ["crm.connector.yaml": registration(), "api.yaml": "swagger: '2.0'\npaths: {}\n"],
            code: .invalidOpenAPI, file: "api.yaml", message: "Swagger 2.0 documents are not supported"
        ),
    ]

    @Test(arguments: broken)
    func brokenCatalogsNameTheFileAndTheProblem(_ case_: BrokenCatalog) throws {
        let folder = try TemporaryFolder(case_.files.merging(["api.yaml": Self.api()]) { mine, _ in mine })
        let error = try #require(throws: CatalogError.self) { try CatalogLoader.load(directory: folder.url) }
        #expect(error.code == case_.code)
        #expect(error.file.hasSuffix("/" + case_.file))
        #expect(error.message.contains(case_.message), "\(error)")
        #expect(error.description == "\(error.file): \(error.message)")
    }

    @Test func registrationErrorsPointAtTheLine() throws {
        let folder = try TemporaryFolder([
            "crm.connector.yaml": Self.registration(auth: "type: oauth\n  secret: X"), "api.yaml": Self.api(),
        ])
        let error = try #require(throws: CatalogError.self) { try CatalogLoader.load(directory: folder.url) }
        #expect(error.location == SourceLocation(line: 6, column: 9))
    }

    @Test func operationsWithoutAnIdAreLeftOutWithAWarning() throws {
        let api = Self.api().replacingOccurrences(of: "      operationId: createThing\n", with: "")
        let folder = try TemporaryFolder(["crm.connector.json": Self.jsonRegistration, "api.yaml": api])
        let (catalog, warnings) = try CatalogLoader.loadWithWarnings(directory: folder.url)
        #expect(catalog["crm"]?.operations.map(\.id) == ["listThings"])
        #expect(
            warnings.map(\.message) == ["POST /things has no operationId, so workflows cannot call it; it was left out"]
        )
        #expect(warnings.first?.file.hasSuffix("/api.yaml") == true)
    }

    @Test(arguments: [("", RedirectPolicy.never), ("redirects: none\n", .never), ("redirects: same-host\n", .sameHost)])
    func registrationsMayAllowSameHostRedirects(line: String, policy: RedirectPolicy) throws {
        let folder = try TemporaryFolder(["crm.connector.yaml": Self.registration() + line, "api.yaml": Self.api()])
        let (catalog, warnings) = try CatalogLoader.loadWithWarnings(directory: folder.url)
        #expect(catalog["crm"]?.redirects == policy)
        #expect(warnings.isEmpty)
    }

    @Test func operationsKnowWhetherTheyAnswerWithJSON() throws {
        #expect(Fixtures.catalog["crm"]?.operation("searchCustomers")?.respondsWithJSON == true)
        let folder = try TemporaryFolder(["crm.connector.yaml": Self.registration(), "api.yaml": Self.api()])
        #expect(try CatalogLoader.load(directory: folder.url)["crm"]?.operation("listThings")?.respondsWithJSON == false)
    }

    static func registration(name: String = "crm", openapi: String = "api.yaml", auth: String = "type: none") -> String
    {
        """
        name: \(name)
        title: Acme CRM
        openapi: \(openapi)
        baseURL: https://crm.example.com
        auth:
          \(auth)

        """
    }

    static let jsonRegistration = """
        {"name": "crm", "title": "Acme CRM", "openapi": "api.yaml", "baseURL": "https://crm.example.com",
         "auth": {"type": "bearer", "secret": "CRM_TOKEN"}}
        """

    static func api(secondId: String = "createThing") -> String {
        """
        openapi: 3.1.0
        info: {title: Things, version: '1'}
        paths:
          /things:
            get:
              operationId: listThings
              responses:
                '200': {description: ok}
            post:
              operationId: \(secondId)
              responses:
                '201': {description: created}

        """
    }
}

/// A folder of files under the temporary directory, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("baton-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

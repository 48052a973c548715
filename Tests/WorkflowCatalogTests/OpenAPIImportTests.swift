import Foundation
import Testing
import WorkflowCatalog
import WorkflowModel

@Suite struct OpenAPIImportTests {
    static let document = """
        openapi: 3.1.0
        info: {title: Shop, version: '1'}
        paths:
          /orders/{orderId}:
            parameters:
              - name: orderId
                in: path
                required: true
                schema: {type: string}
              - $ref: '#/components/parameters/Verbose'
            post:
              operationId: updateOrder
              description: |
                Changes an order.
                Only the fields given change.
              parameters:
                - name: verbose
                  in: query
                  schema: {type: boolean}
                - name: session
                  in: cookie
                  schema: {type: string}
                - name: X-Request-Id
                  in: header
                  required: true
                  schema: {type: string}
                - name: Accept
                  in: header
                  schema: {type: string}
              requestBody:
                $ref: '#/components/requestBodies/OrderChange'
              responses:
                '204': {description: nothing}
                '200':
                  description: the order
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Order'}
                      examples:
                        first:
                          value: {id: o1, status: open, total: 12.5, lines: []}
                        second:
                          value: {id: o2}
            get:
              responses:
                '200': {description: unnamed}
          /upload:
            put:
              operationId: upload
              requestBody:
                content:
                  multipart/form-data:
                    schema: {type: object}
              responses:
                '200':
                  description: ok
                  content:
                    application/problem+json:
                      schema:
                        type: object
                        additionalProperties: {type: integer}
        components:
          parameters:
            Verbose:
              name: verbose
              in: query
              schema: {type: string, enum: [yes, no]}
          requestBodies:
            OrderChange:
              required: true
              content:
                application/json:
                  schema:
                    allOf:
                      - $ref: '#/components/schemas/OrderFields'
                      - type: object
                        required: [reason]
                        properties:
                          reason: {type: string}
          schemas:
            OrderFields:
              type: object
              required: [status]
              properties:
                status: {type: string, enum: [open, closed]}
                note: {type: [string, 'null']}
                address:
                  type: object
                  properties:
                    city: {type: string}
                    geo:
                      type: object
                      properties:
                        lat: {type: number}
            Order:
              type: object
              properties:
                id: {type: string}
                status: {type: string}
                total: {type: number}
                lines:
                  type: array
                  items: {$ref: '#/components/schemas/Line'}
            Line:
              type: object
              properties:
                sku: {type: string}
                children:
                  type: array
                  items: {$ref: '#/components/schemas/Line'}

        """

    static func importDocument(_ text: String = document) throws -> OpenAPIImport.Result {
        try OpenAPIImport.operations(from: Data(text.utf8))
    }

    @Test func operationsWithoutAnIdAreLeftOut() throws {
        let result = try Self.importDocument()
        #expect(result.operations.map(\.id) == ["updateOrder", "upload"])
        #expect(
            result.warnings.contains(
                "GET /orders/{orderId} has no operationId, so workflows cannot call it; it was left out"))
    }

    @Test func parametersMergePathAndOperationLevels() throws {
        let operation = try #require(try Self.importDocument().operations.first)
        #expect(operation.method == "POST")
        #expect(operation.summary == "Changes an order.")
        #expect(
            operation.parameters == [
                OperationParameter(name: "orderId", location: .path, required: true, type: .string),
                // The operation's `verbose` replaces the path item's referenced one.
                OperationParameter(name: "verbose", location: .query, required: false, type: .boolean),
                OperationParameter(name: "X-Request-Id", location: .header, required: true, type: .string),
            ])
    }

    @Test func requestBodiesFollowReferencesAndMergeAllOf() throws {
        let body = try #require(try Self.importDocument().operations.first?.requestBody)
        #expect(body.required)
        #expect(body.requiredProperties == ["status", "reason"])
        #expect(
            body.shape
                == #"{status*: "open"|"closed", note: string|null, address: {city: string, geo: {...}}, reason*: string}"#
        )
    }

    @Test func theResponseIsTheFirstSuccessWithJSON() throws {
        let operation = try #require(try Self.importDocument().operations.first)
        // Recursive schemas stop at the depth limit.
        #expect(
            operation.responseShape
                == "{id: string, status: string, total: number, lines: [{sku: string, children: [{...}]}]}")
        #expect(operation.responseExample == ["id": "o1", "status": "open", "total": 12.5, "lines": []])
        #expect(operation.responseExample?.objectValue?.keys == ["id", "status", "total", "lines"])
    }

    @Test func theResponseFieldsAreTheTopLevelOnesOfTheExampleOrTheShape() throws {
        let operation = try #require(try Self.importDocument().operations.first)
        #expect(operation.responseFields == ["id", "status", "total", "lines"])
        func fields(_ shape: String) -> [String] {
            ConnectorOperation(id: "x", method: "GET", path: "/x", responseShape: shape).responseFields
        }
        #expect(fields("{id: string, status: string, lines: [{sku: string, children: [{...}]}]}") == ["id", "status", "lines"])
        #expect(fields(#"{state*: "a,b: c"|"d", note: string|null, ...}"#) == ["state", "note"])
        #expect(fields("{id: string} | {error: {code: integer}}") == ["id", "error"])
        #expect(fields("{[key: string]: integer}").isEmpty)
        #expect(fields("[{nick: string|null}]").isEmpty)
        #expect(fields("string").isEmpty)
    }

    @Test func nonJSONBodiesAreLeftOutWithAWarning() throws {
        let result = try Self.importDocument()
        let upload = try #require(result.operations.last)
        #expect(upload.requestBody == nil)
        #expect(upload.responseShape == "{[key: string]: integer}")
        #expect(
            result.warnings.contains {
                $0.contains("upload takes a request body that is not JSON (multipart/form-data)")
            })
    }

    @Test func referencedParametersKeepTheirEnums() throws {
        let operationVerbose = "        - name: verbose\n          in: query\n          schema: {type: boolean}\n"
        #expect(Self.document.contains(operationVerbose))
        let text = Self.document.replacingOccurrences(of: operationVerbose, with: "")
        let operation = try #require(try Self.importDocument(text).operations.first)
        #expect(
            operation.parameter("verbose")
                == OperationParameter(
                    name: "verbose", location: .query, required: false, type: .string, allowedValues: ["yes", "no"]
                ))
    }

    @Test func openAPI30DocumentsAreConverted() throws {
        let text = """
            {
              "openapi": "3.0.3",
              "info": {"title": "T", "version": "1"},
              "paths": {
                "/people": {
                  "get": {
                    "operationId": "listPeople",
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "nullable": true}}],
                    "responses": {
                      "200": {
                        "description": "ok",
                        "content": {"application/json": {
                          "schema": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"nick": {"type": "string", "nullable": true}}}
                          },
                          "example": [{"nick": null}, {"nick": "Al"}]
                        }}
                      }
                    }
                  }
                }
              }
            }
            """
        let operation = try #require(try Self.importDocument(text).operations.first)
        #expect(operation.parameter("page")?.type == .integer)
        #expect(operation.responseShape == "[{nick: string|null}]")
        #expect(operation.responseExample == [["nick": nil], ["nick": "Al"]])
    }

    @Test(arguments: [
        ("swagger: '2.0'\n", "Swagger 2.0"),
        ("openapi: 3.1.0\ninfo: [\n", "not valid YAML"),
        ("{\"openapi\": \"3.1.0\",}", "not valid JSON"),
        ("title: nothing\n", "has no \"openapi\" version"),
        ("openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n", "OpenAPI version 4.0.0 is not supported"),
        ("openapi: 3.1.0\npaths: {}\n", "not valid OpenAPI"),
        (
            """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /a:
                get:
                  operationId: a
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Missing'}
            """, "operation a (GET /a): the reference #/components/schemas/Missing cannot be resolved"
        ),
    ])
    func unreadableDocumentsSayWhy(text: String, message: String) {
        #expect {
            try Self.importDocument(text)
        } throws: { error in
            (error as? OpenAPIImportError)?.message.contains(message) == true
        }
    }

    @Test func syntaxErrorsHaveALocation() throws {
        let error = try #require(throws: OpenAPIImportError.self) {
            try Self.importDocument("openapi: 3.1.0\ninfo: [\n")
        }
        #expect(error.location?.line == 3)
    }
}

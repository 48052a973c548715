import Foundation
import Testing
import WorkflowEngine
import WorkflowModel

/// What a successful call's body becomes: JSON when it is JSON, text when nothing promised JSON, and an error when
/// its Content-Type or its operation promised JSON and it is not.
@Suite struct ConnectorResponseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var contentType: String?
        var body: String
        var documentedAsJSON: Bool
        /// `nil` when the body must be refused.
        var output: JSONValue?
        var testDescription: String { "\(contentType ?? "no type") \(documentedAsJSON ? "documented" : "undocumented"): \(body)" }
    }

    static let cases: [Case] = [
        Case(contentType: "application/json", body: #"{"id": 1}"#, documentedAsJSON: true, output: ["id": 1]),
        Case(contentType: "application/json", body: "<html>Sign in</html>", documentedAsJSON: false, output: nil),
        Case(contentType: "Application/Problem+JSON; charset=utf-8", body: "oops", documentedAsJSON: false, output: nil),
        Case(contentType: "text/html", body: "<html>Sign in</html>", documentedAsJSON: true, output: nil),
        Case(contentType: nil, body: "plain words", documentedAsJSON: true, output: nil),
        Case(contentType: "text/plain", body: "plain words", documentedAsJSON: false, output: "plain words"),
        Case(contentType: "text/plain", body: #"{"id": 1}"#, documentedAsJSON: false, output: ["id": 1]),
        Case(contentType: "application/json", body: "", documentedAsJSON: true, output: .null),
    ]

    @Test(arguments: cases)
    func theBodyBecomesJSONTextOrAnError(_ example: Case) throws {
        var headers: [String: String] = [:]
        headers["content-type"] = example.contentType
        let response = ConnectorResponse(status: 200, headers: headers, body: Data(example.body.utf8))
        if let output = example.output {
            #expect(try response.output(documentedAsJSON: example.documentedAsJSON) == output)
        } else {
            let failure = try #require(throws: StepFailure.self) { try response.output(documentedAsJSON: example.documentedAsJSON) }
            #expect(failure.code == "response.invalid-json")
            #expect(!failure.transient)
        }
    }
}

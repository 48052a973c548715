import Foundation
import Testing
import WorkflowModel

/// The size limits of a document, each reported with its own code at the offending place.
@Suite struct LimitRuleTests {
    static func document(name: String = "n", description: String = "d", steps: Int = 1, output: String = "1") -> String {
        let list = (0..<steps).map { #"{"id": "s\#($0)", "kind": "transform", "name": "\#(name)", "output": \#(output)}"# }
        return #"{"format": 1, "name": "t", "description": "\#(description)", "steps": [\#(list.joined(separator: ","))]}"#
    }

    static func codes(_ json: String) -> [String] {
        WorkflowValidator().validate(json: json).errors.map { "\($0.code) \($0.pointer)" }
    }

    @Test func documentsAtTheLimitsAreValid() {
        let json = Self.document(
            name: String(repeating: "n", count: WorkflowLimits.maxNameLength),
            description: String(repeating: "é", count: WorkflowLimits.maxDescriptionLength), steps: WorkflowLimits.maxSteps,
            output: "\"" + String(repeating: "o", count: 100) + "\"")
        #expect(Self.codes(json) == [])
    }

    @Test func oneStepTooManyCountsNestedSteps() {
        #expect(Self.codes(Self.document(steps: WorkflowLimits.maxSteps + 1)) == ["document.steps /steps"])
        let nested = (0..<500).map { #"{"id": "g\#($0)", "kind": "group", "steps": [{"id": "t\#($0)", "kind": "transform", "output": 1}]}"# }
        let json = #"{"format": 1, "name": "t", "steps": [\#(nested.joined(separator: ","))]}"#
        #expect(Self.codes(json) == [], "1,000 steps with the nested ones")
        let more = json.replacingOccurrences(
            of: #"{"id": "g0", "kind": "group", "steps": ["#,
            with: #"{"id": "g0", "kind": "group", "steps": [{"id": "x", "kind": "transform", "output": 1}, "#)
        #expect(Self.codes(more) == ["document.steps /steps"])
    }

    @Test func longTextIsReportedWhereItIs() {
        #expect(Self.codes(Self.document(name: String(repeating: "n", count: 201))) == ["field.length /steps/0/name"])
        #expect(Self.codes(Self.document(description: String(repeating: "d", count: 4_001))) == ["field.length /description"])
        let long = "\"" + String(repeating: "o", count: WorkflowLimits.maxStringBytes + 1) + "\""
        #expect(Self.codes(Self.document(output: #"{"text": \#(long)}"#)) == ["field.length /steps/0/output/text"])
        let message = WorkflowValidator().validate(json: Self.document(description: String(repeating: "d", count: 4_001))).errors.first?.message
        #expect(message?.contains("4001") == true && message?.contains("4000") == true)
    }

    @Test func anOversizedDocumentIsRefusedBeforeItIsRead() {
        let padding = String(repeating: " ", count: WorkflowLimits.maxDocumentBytes)
        let result = WorkflowValidator().validate(json: Self.document() + padding)
        #expect(result.errors.map(\.code) == [.documentSize])
        #expect(result.errors.first?.message.contains("1048576 bytes (1 MiB)") == true)
        // A parsed document (YAML, a repaired answer) is measured as compact JSON.
        let big = JSONValue.object(JSONObject([
            ("format", 1), ("name", "t"), ("steps", .array([.object(JSONObject([("id", "a"), ("kind", "transform"), ("output", 1)]))])),
            ("x", .array(Array(repeating: .string(String(repeating: "x", count: 60_000)), count: 20))),
        ]))
        #expect(WorkflowValidator().validate(document: big).errors.map(\.code).contains(.documentSize))
    }

    @Test func everyLimitCodeIsExplained() {
        let documented = Set(DiagnosticCode.all.map(\.code))
        #expect(documented.isSuperset(of: [.documentSize, .documentSteps, .fieldLength]))
    }
}

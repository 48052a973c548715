import Foundation
import Testing
import WorkflowModel

@Suite struct WorkflowDiffTests {
    static let base: JSONValue = try! JSONParser.parse(#"""
        {"format": 1, "name": "t", "steps": [
          {"id": "find", "kind": "call", "connector": "crm", "operation": "searchCustomers", "params": {"email": "${input.email}"}},
          {"id": "greet", "kind": "transform", "output": "Hello ${find.items[0].name}"},
          {"id": "check", "kind": "condition", "if": "find.total == 0", "then": [{"id": "note", "kind": "transform", "output": 1}]}
        ]}
        """#)

    static func edited(_ transform: (inout String) -> Void) -> JSONValue {
        var text = base.jsonText
        transform(&text)
        return try! JSONParser.parse(text)
    }

    @Test func identicalDocumentsHaveNoChanges() {
        #expect(WorkflowDiff(old: Self.base, new: Self.base).isEmpty)
    }

    @Test func addedRemovedAndChangedStepsAndFields() {
        let new = Self.edited {
            $0 = $0.replacingOccurrences(of: #"{"id":"note","kind":"transform","output":1}"#, with: #"{"id":"text","kind":"transform","output":2}"#)
            $0 = $0.replacingOccurrences(of: "Hello ", with: "Hi ")
        }
        let changes = WorkflowDiff(old: Self.base, new: new).changes
        #expect(changes.contains(.removed(id: "note", summary: "transform")))
        #expect(changes.contains(.added(id: "text", summary: "transform")))
        #expect(changes.contains(.changed(id: "greet", fields: [.init(path: "output", old: "Hello ${find.items[0].name}", new: "Hi ${find.items[0].name}")])))
        #expect(!changes.contains { if case .changed(id: "check", _) = $0 { true } else { false } }, "nested steps are not the parent's change")
    }

    @Test func aRenamedStepIsOneChangeAndItsReferencesFollow() {
        let new = Self.edited { $0 = $0.replacingOccurrences(of: "find", with: "lookup") }
        #expect(WorkflowDiff(old: Self.base, new: new).changes == [.renamed(from: "find", to: "lookup")])
    }
}

import BatonTestSupport
import Testing
import WorkflowModel

/// Reading only a document's trigger (as lists do) gives the trigger reading the whole document gives.
@Suite struct TriggerReadingTests {
    @Test(arguments: Fixtures.files(in: Fixtures.validDefinitions))
    func theTriggerAloneIsTheWholeDocumentsTrigger(_ name: String) throws {
        let document = try JSONParser.parse(String(decoding: Fixtures.bytes(Fixtures.validDefinitions, name), as: UTF8.self))
        #expect(Trigger(readingFrom: document) == WorkflowDefinition(reading: document).trigger)
    }

    @Test func aDocumentWithoutATriggerIsManual() throws {
        #expect(Trigger(readingFrom: try JSONParser.parse(#"{"name": "x", "steps": []}"#)) == .manual)
        #expect(Trigger(readingFrom: .array([])) == .manual)
    }
}
